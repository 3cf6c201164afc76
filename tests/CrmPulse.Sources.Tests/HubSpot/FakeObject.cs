using System.Text.Json;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>One record of the fake HubSpot: string-or-null properties, archive state and associations by target type.</summary>
internal sealed class FakeObject
{
    public required long Id { get; init; }

    public Dictionary<string, string?> Properties { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>Target ids per type, with the v3 inline association type name ("deal_to_company").</summary>
    public Dictionary<string, List<(long Id, string Type)>> Associations { get; } = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (string? Raw, decimal Number)> _numbers = new(StringComparer.Ordinal);

    /// <summary>A property as a number for filters and sorts (parsed once per value: big portals are searched often).</summary>
    public decimal NumberOf(string property, Func<string?, decimal> parse)
    {
        var raw = Properties.GetValueOrDefault(property);
        if (_numbers.TryGetValue(property, out var cached) && cached.Raw == raw) return cached.Number;
        var number = parse(raw);
        _numbers[property] = (raw, number);
        return number;
    }

    /// <summary>Reads a record of a recorded list payload as it is.</summary>
    public static FakeObject FromRecorded(JsonElement e)
    {
        var o = new FakeObject
        {
            Id = long.Parse(e.GetProperty("id").GetString()!),
            CreatedAt = e.GetProperty("createdAt").GetDateTimeOffset(),
            UpdatedAt = e.GetProperty("updatedAt").GetDateTimeOffset(),
        };
        foreach (var p in e.GetProperty("properties").EnumerateObject())
            o.Properties[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString();
        if (e.TryGetProperty("associations", out var assoc))
        {
            foreach (var target in assoc.EnumerateObject())
            {
                o.Associations[target.Name] = target.Value.GetProperty("results").EnumerateArray()
                    .Select(r => (long.Parse(r.GetProperty("id").GetString()!), r.GetProperty("type").GetString()!)).ToList();
            }
        }
        return o;
    }
}
