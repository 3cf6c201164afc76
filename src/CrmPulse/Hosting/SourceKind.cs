using CrmPulse.Core.Sources;
using CrmPulse.Options;

namespace CrmPulse.Hosting;

/// <summary>One kind of source: its options type, how to bind and validate them, and how to create the source.</summary>
public sealed class SourceKind
{
    private readonly Func<IConfiguration, List<string>, string, object?> _bind;
    private readonly Func<string, object, SourceOptions, TimeProvider, ICrmSource> _create;

    private SourceKind(string name, Type optionsType, TimeSpan defaultSyncEvery,
        Func<IConfiguration, List<string>, string, object?> bind, Func<string, object, SourceOptions, TimeProvider, ICrmSource> create)
    {
        Name = name;
        OptionsType = optionsType;
        DefaultSyncEvery = defaultSyncEvery;
        _bind = bind;
        _create = create;
    }

    public string Name { get; }

    public Type OptionsType { get; }

    public TimeSpan DefaultSyncEvery { get; }

    public static SourceKind Create<TOptions>(string name, TimeSpan defaultSyncEvery,
        Func<TOptions, IReadOnlyList<string>> validate, Func<string, TOptions, TimeProvider, ICrmSource> create)
        where TOptions : class, new() =>
        Create<TOptions>(name, defaultSyncEvery, validate, (sourceName, options, _, time) => create(sourceName, options, time), null);

    /// <param name="create">Creates the source from its own options and the keys every kind shares (e.g. Pipeline).</param>
    /// <param name="checkLostReasonField">What is wrong with a Pipeline:LostReasonField value for this kind (null when
    /// nothing is), e.g. a name that is not an API name, or a kind that has no such field to pull.</param>
    public static SourceKind Create<TOptions>(string name, TimeSpan defaultSyncEvery,
        Func<TOptions, IReadOnlyList<string>> validate, Func<string, TOptions, SourceOptions, TimeProvider, ICrmSource> create,
        Func<string, string?>? checkLostReasonField)
        where TOptions : class, new() =>
        new(name, typeof(TOptions), defaultSyncEvery,
            (section, errors, key) =>
            {
                var options = OptionsLoader.Bind<TOptions>(section, errors);
                if (options is null) return null;
                var problems = validate(options).ToList();
                if (section.GetSection("Pipeline")["LostReasonField"] is { Length: > 0 } field && checkLostReasonField?.Invoke(field) is { } wrong)
                    problems.Add($"Pipeline:LostReasonField: {wrong}");
                errors.AddRange(problems.Select(p => $"{key}:{p}"));
                return problems.Count == 0 ? options : null;
            },
            (sourceName, options, common, time) => create(sourceName, (TOptions)options, common, time));

    /// <summary>Binds the kind's own keys of a source section; adds "key: problem" messages to <paramref name="errors"/>.</summary>
    public object? BindOptions(IConfiguration section, List<string> errors, string key) => _bind(section, errors, key);

    public ICrmSource CreateSource(string name, object options, SourceOptions common, TimeProvider time) => _create(name, options, common, time);
}
