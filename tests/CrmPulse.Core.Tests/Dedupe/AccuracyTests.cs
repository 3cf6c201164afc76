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
    // Measured with the defaults (README "Deduplication"): weights fitted by EM on each file alone (DedupeWeights.Fitted:
    // unsupervised, the labels are read only here), without soc_sec_id, febrl with address_2 as an extra text field as
    // the dedupe command's febrl preset reads it: febrl1 P 1.0000 R 1.0000 F1 1.0000; febrl2 P 0.9995 R 1.0000 F1 0.9997;
    // fake_1000 P 0.9968 R 0.9133 F1 0.9532 (MatcherVersion 9). The floors are issue 17's goals (F1 0.995 on febrl, 0.92 on fake_1000) and
    // precision 0.99; the fit is deterministic (fixed seeds, a fixed-stride training sample), so the figures only move
    // when the code does.
    [Theory]
    [InlineData("febrl1.csv", 0.99, 0.995)]
    [InlineData("febrl2.csv", 0.99, 0.995)]
    [InlineData("fake_1000.csv", 0.99, 0.92)]
    public void Matcher_reaches_the_measured_precision_and_f1_on_labelled_data(string file, double minPrecision, double minF1) =>
        Measure(file, AccuracyData.Options(file), minPrecision, minF1);

    // The fixed weights (Weights: Fixed, and every input under MinRecordsForFit records): febrl1 P 1.0000 R 0.9660
    // F1 0.9827; febrl2 P 1.0000 R 0.9809 F1 0.9903; fake_1000 P 1.0000 R 0.6568 F1 0.7929. The floors sit a few points
    // under them, so a change that costs accuracy fails.
    [Theory]
    [InlineData("febrl1.csv", 0.97, 0.95)]
    [InlineData("febrl2.csv", 0.97, 0.96)]
    [InlineData("fake_1000.csv", 0.97, 0.77)]
    public void Fixed_weights_reach_the_measured_precision_and_f1_on_labelled_data(string file, double minPrecision, double minF1)
    {
        var options = AccuracyData.Options(file);
        options.Weights = DedupeWeights.Fixed;
        Measure(file, options, minPrecision, minF1);
    }

    private void Measure(string file, DedupeOptions options, double minPrecision, double minF1)
    {
        var (people, entityOf) = AccuracyData.Load(file);

        var result = Deduplicator.MatchPeople(people, options);
        var (precision, recall, f1, truePairs, predicted) = PairMetrics.Measure(result.Clusters, entityOf);

        output.WriteLine($"{file} ({options.Weights} weights): records {people.Count}, true pairs {truePairs}, predicted pairs {predicted}, " +
                         $"candidates {result.Candidates}, kept by blocking {100 * PairMetrics.KeptByBlocking(people, entityOf, options):F1} %, " +
                         $"precision {precision:F4}, recall {recall:F4}, F1 {f1:F4}");
        Assert.True(precision >= minPrecision, $"precision {precision:F4} < {minPrecision}");
        Assert.True(f1 >= minF1, $"F1 {f1:F4} < {minF1}");
    }
}
