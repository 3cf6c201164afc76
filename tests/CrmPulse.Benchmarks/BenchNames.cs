namespace CrmPulse.Benchmarks;

/// <summary>Word lists of the benchmark org. Last names are composed from syllables to reach a realistic variety
/// (thousands of surnames, a few very common), first names come from a fixed list with a skewed choice.</summary>
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

    /// <summary>Common surnames first: the skewed pick lands on them often, as real surnames do.</summary>
    public static readonly string[] LastNames = BuildLastNames();

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

    private static string[] BuildLastNames()
    {
        var names = new List<string>(SurnameHeads.Length * SurnameTails.Length);
        // Interleave so that the first entries (picked most often) are spread over heads and tails.
        for (var k = 0; k < SurnameHeads.Length * SurnameTails.Length; k++)
        {
            names.Add(SurnameHeads[k % SurnameHeads.Length] + SurnameTails[k / SurnameHeads.Length % SurnameTails.Length]);
        }
        return names.Distinct().ToArray();
    }
}
