namespace CrmPulse.Sources.Demo;

/// <summary>
/// Word lists of the demo org. Names were picked so that no two are one typo apart (no "Jon"/"John"): the only
/// near-duplicate people are the planted ones.
/// </summary>
internal static class DemoNames
{
    public static readonly string[] FirstNames =
    [
        "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Charlotte", "Silas",
        "Isabella", "William", "Mia", "Benjamin", "Evelyn", "Lucas", "Harper", "Henry", "Camila", "Theodore",
        "Gianna", "Jasper", "Abigail", "Levi", "Luna", "Sebastian", "Ella", "Mateo", "Elizabeth", "Jack",
        "Sofia", "Owen", "Emily", "Alexander", "Avery", "Daniel", "Scarlett", "Michael", "Eleanor", "Samuel",
        "Madison", "Ethan", "Layla", "Joseph", "Penelope", "Wyatt", "Aria", "Felix", "Chloe", "Julian",
        "Grace", "Gabriel", "Nora", "Anthony", "Riley", "Dylan", "Maya", "Leo", "Hannah", "Isaac",
        "Hazel", "Lincoln", "Lily", "Joshua", "Ellie", "Andrew", "Violet", "Nathan", "Lillian", "Caleb",
        "Zoe", "Ryan", "Stella", "Adrian", "Aurora", "Miles", "Natalie", "Eli", "Emilia", "Nolan",
        "Everly", "Christian", "Leah", "Aaron", "Aubrey", "Cameron", "Willow", "Ezra", "Addison", "Colton",
        "Lucia", "Hudson", "Savannah", "Jaxon", "Brooklyn", "Rowan", "Paisley", "Charles", "Skylar", "Jeremiah",
        "Ingrid", "Dario", "Freya", "Kenji", "Priya", "Rafael", "Yuki", "Tobias", "Amara", "Soren",
    ];

    public static readonly string[] LastNames =
    [
        "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
        "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
        "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Ferguson", "Flores", "Green",
        "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
        "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
        "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
        "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
        "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
        "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell",
        "Schmidt", "Fischer", "Weber", "Becker", "Dubois", "Lefebvre", "Bianchi", "Ferrari", "Novak", "Kowalski",
        "Lindqvist", "Nielsen", "Jansen", "Visser", "Tanaka", "Suzuki", "Okafor", "Mensah", "Silva", "Santos",
    ];

    /// <summary>Company names are Prefix + Root (+ " " + Tail): 50 × 50 × 21 distinct bases.</summary>
    public static readonly string[] CompanyPrefixes =
    [
        "Blue", "North", "Apex", "Bright", "Silver", "Green", "Iron", "Cedar", "Summit", "Harbor",
        "Crystal", "Golden", "Rapid", "Stone", "Clear", "Maple", "Polar", "Red", "Swift", "True",
        "Urban", "Vivid", "Wild", "Zenith", "Atlas", "Bold", "Coral", "Delta", "Ember", "Falcon",
        "Granite", "Horizon", "Indigo", "Juniper", "Keystone", "Lunar", "Meadow", "Nimbus", "Orbit", "Pioneer",
        "Quartz", "River", "Sable", "Terra", "Union", "Vector", "Willow", "Xenon", "Yellow", "Zephyr",
    ];

    public static readonly string[] CompanyRoots =
    [
        "wave", "point", "bridge", "field", "stone", "light", "works", "path", "gate", "line",
        "peak", "forge", "leaf", "port", "ridge", "shore", "spring", "star", "view", "wind",
        "brook", "crest", "dale", "fall", "grove", "haven", "land", "mark", "mill", "moor",
        "pine", "rock", "sky", "vale", "wood", "bay", "cliff", "dune", "fern", "glen",
        "hill", "isle", "lake", "mesa", "oak", "pond", "reef", "sand", "tide", "well",
    ];

    public static readonly string[] CompanyTails =
    [
        "", "Systems", "Labs", "Group", "Partners", "Health", "Logistics", "Software", "Capital", "Media",
        "Energy", "Retail", "Foods", "Robotics", "Analytics", "Consulting", "Industries", "Networks", "Studios", "Bio", "Security",
    ];

    public static readonly string[] LegalSuffixes = ["", " Inc", " Ltd", " GmbH", " LLC", " SA", " BV"];

    public static readonly string[] TopLevelDomains = ["com", "com", "com", "io", "co.uk", "de", "fr", "nl"];

    public static readonly string[] PersonalDomains = ["gmail.com", "outlook.com", "yahoo.com", "proton.me"];

    /// <summary>Canonical industries; the planted variants of some are in <see cref="IndustryVariants"/>.</summary>
    public static readonly string[] Industries =
    [
        "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail",
        "Education", "Real Estate", "Media", "Logistics", "Energy",
    ];

    /// <summary>Misspellings of a canonical picklist value: case, trailing space, inner space.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> IndustryVariants = new Dictionary<string, string[]>
    {
        ["Software"] = ["software", "SOFTWARE ", "Software "],
        ["Financial Services"] = ["financial services", "Financial services"],
        ["Healthcare"] = ["HealthCare", "Health care"],
    };

    /// <summary>HubSpot's internal lifecycle stage values, with their relative frequency.</summary>
    public static readonly string[] LifecycleStages =
        ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist"];

    public static readonly double[] LifecycleWeights = [0.10, 0.35, 0.12, 0.08, 0.08, 0.25, 0.02];

    /// <summary>Spellings an import or a hand edit left behind (the same stage, spelled differently).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> LifecycleVariants = new Dictionary<string, string[]>
    {
        ["lead"] = ["Lead", "LEAD", "lead "],
        ["customer"] = ["Customer", "CUSTOMER "],
        ["marketingqualifiedlead"] = ["Marketing Qualified Lead", "marketing_qualified_lead"],
    };

    public static readonly string[] LeadStatuses =
        ["NEW", "OPEN", "IN_PROGRESS", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING", "UNQUALIFIED"];

    public static readonly string[] CustomerTiers = ["Platinum", "Gold", "Silver", "Bronze"];

    public static readonly string[] LegacyRegions = ["EMEA-North", "EMEA-South", "APAC", "LATAM", "NA-West"];

    public static readonly string[] LostReasons = ["Price", "Competitor", "No budget", "Timing", "No decision"];

    public static readonly string[] Products = ["Platform licence", "Analytics add-on", "Onboarding", "Support plan", "Expansion"];

    /// <summary>Values that are filled but are not e-mail addresses; {0} first name, {1} last name, {2} domain.</summary>
    public static readonly string[] InvalidEmailPatterns =
        ["{0}.{1}@", "no-email", "x@y", "{0}.{1}@@{2}", "{0} {1}@{2}", "n/a", "{0}.{1}.{2}"];

    /// <summary>Values that are filled but are not phone numbers.</summary>
    public static readonly string[] InvalidPhones = ["12", "n/a", "-", "0", "123", "tbd", "555"];

    public static readonly string[] IntegrationUsers = ["HubSpot Sync", "Zapier"];
}
