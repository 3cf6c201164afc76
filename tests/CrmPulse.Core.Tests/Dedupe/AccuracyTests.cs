using CrmPulse.Core.Dedupe;
using Xunit.Abstractions;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>
/// Accuracy of the contact matcher on labelled data (Data/README.md): precision, recall and F1 over pairs, where the
/// predicted pairs are all pairs inside the predicted clusters and a true pair that blocking never proposed is missed.
/// Default options (plus the febrl preset's extra field, AccuracyData.Options); the labels are read here, never by the matcher.
/// </summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    // Measured with the defaults (README "Deduplication"), without soc_sec_id, febrl with address_2 as an extra text
    // field as the dedupe command's febrl preset reads it: febrl1 P 1.0000 R 0.9580 F1 0.9785 (0.9806 without
    // address_2); febrl2 P 1.0000 R 0.9778 F1 0.9888 (0.9885 without); fake_1000 P 1.0000 R 0.6563 F1 0.7925 (0.8185
    // with clusters that chain, MinLinkShare 0). The floors sit a few points under them, so a change that costs
    // accuracy fails; the matcher is deterministic, so the figures only move when the code does. febrl2's F1 floor is
    // the goal of issue 3 (0.95) plus a margin.
    [Theory]
    [InlineData("febrl1.csv", 0.97, 0.95)]
    [InlineData("febrl2.csv", 0.97, 0.96)]
    [InlineData("fake_1000.csv", 0.97, 0.77)]
    public void Matcher_reaches_the_measured_precision_and_f1_on_labelled_data(string file, double minPrecision, double minF1)
    {
        var (people, entityOf) = AccuracyData.Load(file);

        var result = Deduplicator.MatchPeople(people, AccuracyData.Options(file));
        var (precision, recall, f1, truePairs, predicted) = PairMetrics.Measure(result.Clusters, entityOf);

        output.WriteLine($"{file}: records {people.Count}, true pairs {truePairs}, predicted pairs {predicted}, " +
                         $"candidates {result.Candidates}, precision {precision:F4}, recall {recall:F4}, F1 {f1:F4}");
        Assert.True(precision >= minPrecision, $"precision {precision:F4} < {minPrecision}");
        Assert.True(f1 >= minF1, $"F1 {f1:F4} < {minF1}");
    }

    // Fitted weights (DedupeWeights.Fitted): unsupervised, weights fitted by EM on each file alone, no labels.
    [Theory]
    [InlineData("febrl1.csv", 0.0, 0.0)]
    [InlineData("febrl2.csv", 0.0, 0.0)]
    [InlineData("fake_1000.csv", 0.0, 0.0)]
    public void Fitted_matcher_reaches_the_measured_precision_and_f1_on_labelled_data(string file, double minPrecision, double minF1)
    {
        var (people, entityOf) = AccuracyData.Load(file);
        var options = AccuracyData.Options(file);
        options.Weights = DedupeWeights.Fitted;

        var result = Deduplicator.MatchPeople(people, options);
        var (precision, recall, f1, truePairs, predicted) = PairMetrics.Measure(result.Clusters, entityOf);

        output.WriteLine($"{file} (fitted): records {people.Count}, true pairs {truePairs}, predicted pairs {predicted}, " +
                         $"candidates {result.Candidates}, precision {precision:F4}, recall {recall:F4}, F1 {f1:F4}");
        Assert.True(precision >= minPrecision, $"precision {precision:F4} < {minPrecision}");
        Assert.True(f1 >= minF1, $"F1 {f1:F4} < {minF1}");
    }
}
