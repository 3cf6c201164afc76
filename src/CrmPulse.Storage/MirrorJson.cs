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
