using System.Collections;

namespace CrmPulse.Core.Model;

/// <summary>
/// Companies held as arrays per field (the columnar snapshot, as <see cref="ContactColumns"/>): owner, industry and
/// parent as integer codes into tables of their distinct values (each one shared string); name and domain as one block
/// of one-byte characters each (<see cref="TextColumn"/>); instants as UTC ticks; custom fields as a column per field
/// name (<see cref="CustomColumns"/>). The account and data-quality
/// families read the arrays without a record per company.
/// </summary>
/// <remarks>
/// The ids stay strings (<see cref="Ids"/>), one per company shared by its issues. It is also a list of
/// <see cref="Company"/>: an item read by index is built from the arrays (equal to the record added), so code that
/// reads companies as records (the deduplicator, reconciliation) works unchanged.
/// </remarks>
public sealed class CompanyColumns : IReadOnlyList<Company>
{
    private readonly CustomColumns? _custom;

    private CompanyColumns(Builder b)
    {
        Count = b.Count;
        Ids = ColumnArrays.Trim(b.Ids, Count);
        Owner = b.Owner.Build(Count);
        Name = b.Name.Build(Count);
        Domain = b.Domain.Build(Count);
        Industry = b.Industry.Build(Count);
        Parent = b.Parent.Build(Count);
        Created = b.Created.Build(Count);
        Modified = b.Modified.Build(Count);
        _custom = b.Custom.Build(Count);
    }

    public int Count { get; }

    /// <summary>The CRM's ids, by position.</summary>
    public string[] Ids { get; }

    /// <summary>The owner's user id (null: unowned).</summary>
    public StringColumn Owner { get; }

    public TextColumn Name { get; }

    public TextColumn Domain { get; }

    public StringColumn Industry { get; }

    /// <summary>The parent company's id.</summary>
    public StringColumn Parent { get; }

    public InstantColumn Created { get; }

    public InstantColumn Modified { get; }

    /// <summary>The company's custom fields (<see cref="CrmRecord.Custom"/>), a new dictionary each time.</summary>
    public IReadOnlyDictionary<string, string?> Custom(int row) => _custom?.Row(row) ?? CrmRecord.EmptyFields;

    /// <summary>A custom field's values by row (<see cref="CustomColumns.Column"/>), null when no row has it.</summary>
    public StringColumn? CustomField(string name) => _custom?.Column(name);

    /// <summary>The company at <paramref name="index"/> as a record, built from the arrays.</summary>
    public Company this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new Company
            {
                Id = Ids[index], OwnerId = Owner[index], CreatedAt = Created.At(index), ModifiedAt = Modified.At(index),
                Custom = Custom(index), Name = Name[index], Domain = Domain[index], Industry = Industry[index], ParentId = Parent[index],
            };
        }
    }

    public IEnumerator<Company> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The companies as columns: <paramref name="companies"/> itself when it already is, else its records copied.</summary>
    public static CompanyColumns From(IReadOnlyList<Company> companies)
    {
        ArgumentNullException.ThrowIfNull(companies);
        if (companies is CompanyColumns columns) return columns;
        var builder = new Builder(companies.Count);
        foreach (var c in companies) builder.Add(c);
        return builder.Build();
    }

    /// <summary>Adds companies one by one (a store reading its rows, a generator), then builds the columns once.</summary>
    public sealed class Builder(int capacity = 1024)
    {
        internal int Count;
        internal string[] Ids = new string[Math.Max(capacity, 16)];
        internal readonly CustomColumns.Builder Custom = new(capacity);
        internal readonly StringColumn.Builder Owner = new(capacity), Industry = new(capacity), Parent = new(capacity);
        internal readonly TextColumn.Builder Name = new(capacity, bytesPerRow: 24), Domain = new(capacity, bytesPerRow: 24);
        internal readonly InstantColumn.Builder Created = new(capacity), Modified = new(capacity);

        public void Add(Company c)
        {
            ArgumentNullException.ThrowIfNull(c);
            if (Count == Ids.Length)
            {
                Array.Resize(ref Ids, Count * 2);
            }
            Ids[Count] = c.Id;
            Owner.Add(c.OwnerId);
            Name.Add(c.Name);
            Domain.Add(c.Domain);
            Industry.Add(c.Industry);
            Parent.Add(c.ParentId);
            Created.Add(c.CreatedAt);
            Modified.Add(c.ModifiedAt);
            Custom.Add(c.Custom);
            Count++;
        }

        public CompanyColumns Build() => new(this);
    }
}
