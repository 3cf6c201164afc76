using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CrmPulse.Core.Model;

namespace CrmPulse.Storage;

/// <summary>
/// Source-generated JSON metadata for the records the mirror stores (camelCase, nulls left out, enums by name so a
/// reordered enum cannot change stored meaning).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CrmUser))]
[JsonSerializable(typeof(LoginEvent))]
[JsonSerializable(typeof(Contact))]
[JsonSerializable(typeof(Company))]
[JsonSerializable(typeof(Deal))]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, StoredKindState>))]
internal sealed partial class MirrorJsonContext : JsonSerializerContext;

/// <summary>Typed JSON metadata for each stored record type and for the sync-state columns.</summary>
internal static class MirrorJson
{
    // CrmRecord.ObjectType is computed from the type ("contact", ...): storing it would only repeat the kind column,
    // and it has no setter to read it back into, so it is left out of the JSON altogether.
    private static readonly JsonSerializerOptions Options = new(MirrorJsonContext.Default.Options)
    {
        TypeInfoResolver = MirrorJsonContext.Default.WithAddedModifier(static info =>
        {
            foreach (var property in info.Properties)
            {
                // Ids of activities and logins are named by nothing else: pooling millions of them would only cost.
                if (property.Name == "id" && (info.Type == typeof(Activity) || info.Type == typeof(LoginEvent))) continue;
                if (property.PropertyType == typeof(string) && SharedStrings.Properties.Contains(property.Name)) property.CustomConverter = SharedStrings.Converter;
                // Custom fields as two arrays (CompactFields) rather than a hash table per record, their names shared.
                if (property.PropertyType == typeof(IReadOnlyDictionary<string, string?>)) property.CustomConverter = SharedStrings.FieldsConverter;
            }
            if (!typeof(CrmRecord).IsAssignableFrom(info.Type)) return;
            for (var i = info.Properties.Count - 1; i >= 0; i--)
            {
                if (info.Properties[i].Name == "objectType") info.Properties.RemoveAt(i);
            }
        }),
    };

    public static readonly JsonTypeInfo<CrmUser> User = Info<CrmUser>();
    public static readonly JsonTypeInfo<LoginEvent> Login = Info<LoginEvent>();
    public static readonly JsonTypeInfo<Contact> Contact = Info<Contact>();
    public static readonly JsonTypeInfo<Company> Company = Info<Company>();
    public static readonly JsonTypeInfo<Deal> Deal = Info<Deal>();
    public static readonly JsonTypeInfo<Activity> Activity = Info<Activity>();
    public static readonly JsonTypeInfo<Dictionary<string, int>> Counts = Info<Dictionary<string, int>>();
    public static readonly JsonTypeInfo<List<string>> Texts = Info<List<string>>();
    public static readonly JsonTypeInfo<Dictionary<string, StoredKindState>> Kinds = Info<Dictionary<string, StoredKindState>>();

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}

/// <summary>
/// Ids and values that a snapshot repeats (owner, company, contact and deal ids, stages, teams…) read as one string
/// each while a snapshot loads: three million activities naming a million contacts hold references to the contacts'
/// own id strings instead of three million copies, and a million contacts share the few owner ids and stages.
/// </summary>
/// <remarks>The pool lives for one load on its thread (<see cref="During"/>); elsewhere the converter reads plain
/// strings. Writing is unchanged.</remarks>
internal static class SharedStrings
{
    /// <summary>The JSON (camelCase) names of the shared properties, on every stored record type.</summary>
    public static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "ownerId", "userId", "companyId", "contactId", "dealId", "parentId", "team", "lifecycleStage", "leadStatus",
        "industry", "pipeline", "stage", "lostReason", "kind", "direction", "region",
    };

    public static readonly JsonConverter<string> Converter = new SharingConverter();

    public static readonly JsonConverter<IReadOnlyDictionary<string, string?>> FieldsConverter = new FieldsJsonConverter();

    [ThreadStatic]
    private static Dictionary<string, string>? _pool;

    /// <summary>Shares repeated strings among everything <paramref name="load"/> reads on this thread.</summary>
    public static T During<T>(Func<T> load)
    {
        var outer = _pool;
        _pool = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            return load();
        }
        finally
        {
            _pool = outer;
        }
    }

    /// <summary>A pool of its own for one load whose reads are not all on one thread (an asynchronous reader): give it to
    /// each <see cref="Deserialize{T}"/> of that load.</summary>
    public static Dictionary<string, string> NewPool() => new(StringComparer.Ordinal);

    /// <summary>Reads one record sharing strings through <paramref name="pool"/>, set on this thread only for the read.</summary>
    public static T? Deserialize<T>(Dictionary<string, string> pool, string json, JsonTypeInfo<T> info)
    {
        var outer = _pool;
        _pool = pool;
        try
        {
            return JsonSerializer.Deserialize(json, info);
        }
        finally
        {
            _pool = outer;
        }
    }

    /// <summary>Custom fields read as <see cref="CompactFields"/> (names shared while a snapshot loads), written as the
    /// JSON object a dictionary writes: the same stored text either way.</summary>
    private sealed class FieldsJsonConverter : JsonConverter<IReadOnlyDictionary<string, string?>>
    {
        public override IReadOnlyDictionary<string, string?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"custom fields: expected an object, found {reader.TokenType}");
            var pairs = new List<KeyValuePair<string, string?>>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                if (_pool is { } pool)
                {
                    ref var shared = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(pool, name, out var exists);
                    if (!exists) shared = name;
                    name = shared!;
                }
                reader.Read();
                var value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => throw new JsonException($"custom field '{name}': expected a text or null, found {reader.TokenType}"),
                };
                pairs.Add(new(name, value));
            }
            return CompactFields.Of(pairs);
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string?> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (key, text) in value)
            {
                writer.WritePropertyName(key);
                if (text is null) writer.WriteNullValue();
                else writer.WriteStringValue(text);
            }
            writer.WriteEndObject();
        }
    }

    private sealed class SharingConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            if (value is null || _pool is not { } pool) return value;
            ref var shared = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(pool, value, out var exists);
            if (!exists) shared = value;
            return shared;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
