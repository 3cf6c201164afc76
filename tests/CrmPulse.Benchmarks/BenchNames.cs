namespace CrmPulse.Benchmarks;

/// <summary>Word lists of the benchmark org. Last names are composed from syllables to reach a realistic variety
/// (thousands of surnames, a few very common), first names come from a fixed list with a skewed choice. Past a million
/// contacts the last names grow with the org (<see cref="LastNamesFor"/>).</summary>
internal static class BenchNames
{
    public static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
        "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
        "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
        "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Dorothy", "George", "Melissa", "Timothy", "Deborah",
        "Ronald", "Stephanie", "Edward", "Rebecca", "Jason", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia",
        "Jacob", "Kathleen", "Gary", "Amy", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Anna",
        "Stephen", "Brenda", "Larry", "Pamela", "Justin", "Emma", "Scott", "Nicole", "Brandon", "Helen",
        "Benjamin", "Samantha", "Samuel", "Katherine", "Gregory", "Christine", "Alexander", "Debra", "Frank", "Rachel",
        "Patrick", "Carolyn", "Raymond", "Janet", "Jack", "Catherine", "Dennis", "Maria", "Jerry", "Heather",
        "Tyler", "Diane", "Aaron", "Ruth", "Jose", "Julie", "Adam", "Olivia", "Nathan", "Joyce",
        "Henry", "Virginia", "Douglas", "Victoria", "Zachary", "Kelly", "Peter", "Lauren", "Kyle", "Christina",
        "Ethan", "Joan", "Walter", "Evelyn", "Noah", "Judith", "Jeremy", "Megan", "Christian", "Andrea",
        "Keith", "Cheryl", "Roger", "Hannah", "Terry", "Jacqueline", "Gerald", "Martha", "Harold", "Gloria",
        "Sean", "Teresa", "Austin", "Ann", "Carl", "Sara", "Arthur", "Madison", "Lawrence", "Frances",
        "Ingrid", "Kenji", "Priya", "Rafael", "Yuki", "Tobias", "Amara", "Soren", "Lars", "Aisha",
    ];

    private static readonly string[] SurnameHeads =
    [
        "Ander", "Bal", "Bran", "Cal", "Dal", "Ed", "Fair", "Gar", "Hal", "Ing", "Jen", "Kal", "Lind", "Mar", "Nor",
        "Ol", "Pem", "Quin", "Ros", "Sand", "Thorn", "Ul", "Van", "Wal", "Yor", "Ash", "Bell", "Crom", "Dun", "Els",
        "Fitz", "Gold", "Hart", "Kirk", "Lang", "Mont", "Ness", "Ock", "Pal", "Rad", "Sto", "Tre", "Whit", "Wood", "Brook",
    ];

    private static readonly string[] SurnameTails =
    [
        "son", "berg", "ford", "ley", "ton", "wick", "more", "dale", "field", "stein", "ridge", "worth", "man", "ham",
        "hurst", "well", "ston", "by", "combe", "land", "er", "ing", "holt", "mere", "stead", "ard", "ell", "ison",
        "quist", "sen", "ow", "ick", "en", "mann", "eau", "ini", "ez", "ski", "ova", "ic",
    ];

    /// <summary>Middle syllables of the surnames added past a million contacts (head, middle, tail).</summary>
    private static readonly string[] SurnameMiddles = ["a", "e", "i", "o", "ar", "el", "in", "or", "ul", "er", "an", "is"];

    /// <summary>Common surnames first: the skewed pick lands on them often, as real surnames do. The 1,800 names of a
    /// million contacts, then names of three syllables.</summary>
    private static readonly string[] LastNames = BuildLastNames(out MillionContactNames);

    /// <summary>How many of <see cref="LastNames"/> an org of up to a million contacts draws from (the two-syllable ones).</summary>
    private static readonly int MillionContactNames;

    /// <summary>
    /// The last names of an org at <paramref name="scale"/> (1 = a million contacts): the 1,800 two-syllable names up
    /// to a million contacts (so an org at scale 1 or less is the same as before), and 1,800 × scale past it.
    /// </summary>
    /// <remarks>
    /// Why the list grows: with a fixed list, every exact-name block (the matcher's name and e-mail-local keys) grows
    /// with the org: 5 million contacts over the same 288,000 first and last name pairs (17 a pair on average, 3.5 at a
    /// million), and the full match compared 57.4 M pairs instead of 3.25 M (×17.7 for ×5 contacts). Real orgs do not
    /// grow so: a larger population has more distinct surnames (the 2010 US census counts 6.3 million), and 1,800 names
    /// for a million people is already far denser than real data. Growing the list with the org keeps the name blocks
    /// at the million-contact density (still denser than real), so the figures past a million stay conservative
    /// rather than quadratic (21.2 M comparisons at 5 million, ×6.5). The pick stays skewed over the longer list, so the
    /// commonest names are the same, each a smaller share (the first 0.23 % of people at 5 million instead of 0.68 %).
    /// </remarks>
    /// <param name="constantDensity">1,800 × scale at every scale, below a million contacts too (--dedupe-density
    /// constant): each size then has the million-contact org's contacts per name, so the dedupe's growth shows the
    /// matcher's own cost apart from name blocks that fill as a fixed list meets more people.</param>
    public static string[] LastNamesFor(double scale, bool constantDensity = false)
    {
        var count = scale <= 1 && !constantDensity ? MillionContactNames : Math.Max(1, (int)Math.Round(MillionContactNames * scale));
        if (count > LastNames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale,
                $"the benchmark's surname syllables make {LastNames.Length:N0} distinct last names, {count:N0} needed at scale {scale}: add syllables to BenchNames");
        }
        return LastNames[..count];
    }

    public static readonly string[] CompanyWords =
    [
        "Blue", "North", "Apex", "Bright", "Silver", "Green", "Iron", "Cedar", "Summit", "Harbor", "Crystal", "Golden",
        "Rapid", "Stone", "Clear", "Maple", "Polar", "Red", "Swift", "True", "Urban", "Vivid", "Wild", "Zenith", "Atlas",
        "Bold", "Coral", "Delta", "Ember", "Falcon", "Granite", "Horizon", "Indigo", "Juniper", "Keystone", "Lunar",
        "Meadow", "Nimbus", "Orbit", "Pioneer", "Quartz", "River", "Sable", "Terra", "Union", "Vector", "Willow",
    ];

    public static readonly string[] CompanyRoots =
    [
        "wave", "point", "bridge", "field", "stone", "light", "works", "path", "gate", "line", "peak", "forge", "leaf",
        "port", "ridge", "shore", "spring", "star", "view", "wind", "brook", "crest", "dale", "grove", "haven", "land",
        "mark", "mill", "pine", "rock", "sky", "vale", "wood", "bay", "cliff", "glen", "hill", "lake", "oak", "reef",
    ];

    public static readonly string[] CompanyTails =
        ["Systems", "Labs", "Logistics", "Partners", "Health", "Foods", "Energy", "Capital", "Media", "Software",
         "Consulting", "Retail", "Motors", "Analytics", "Design", "Robotics", "Insurance", "Travel", "Security", "Studios"];

    public static readonly string[] LegalSuffixes = ["", "", " Inc.", " Ltd", " LLC", " GmbH", " Corp."];

    public static readonly string[] Industries =
        ["Software", "Retail", "Manufacturing", "Healthcare", "Finance", "Logistics", "Education", "Energy", "Media", "Hospitality"];

    public static readonly string[] Cities =
        ["London", "Berlin", "Paris", "Amsterdam", "Madrid", "Boston", "Chicago", "Austin", "Denver", "Seattle",
         "Toronto", "Dublin", "Lisbon", "Vienna", "Zurich", "Oslo", "Prague", "Warsaw", "Milan", "Lyon"];

    public static readonly string[] FreeMail = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com"];

    private static string[] BuildLastNames(out int twoSyllables)
    {
        var names = new List<string>(SurnameHeads.Length * SurnameTails.Length);
        // Interleave so that the first entries (picked most often) are spread over heads and tails.
        for (var k = 0; k < SurnameHeads.Length * SurnameTails.Length; k++)
        {
            names.Add(SurnameHeads[k % SurnameHeads.Length] + SurnameTails[k / SurnameHeads.Length % SurnameTails.Length]);
        }
        names = names.Distinct().ToList();
        twoSyllables = names.Count;
        // Past a million contacts: head, middle and tail, again interleaved over heads (Distinct drops the few that
        // spell a two-syllable name, e.g. "Ed" + "i" + "son").
        var tails = SurnameMiddles.Length * SurnameTails.Length;
        for (var k = 0; k < SurnameHeads.Length * tails; k++)
        {
            var (head, rest) = (k % SurnameHeads.Length, k / SurnameHeads.Length);
            names.Add(SurnameHeads[head] + SurnameMiddles[rest % SurnameMiddles.Length] + SurnameTails[rest / SurnameMiddles.Length % SurnameTails.Length]);
        }
        return names.Distinct().ToArray();
    }
}
