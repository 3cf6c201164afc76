namespace CrmPulse.Core.Dedupe;

/// <summary>
/// Common English nicknames and short forms → the formal first name ("bob" → "robert"). Small on purpose: it covers
/// the forms people actually type into a CRM; Jaro-Winkler already catches the ones that share a prefix.
/// </summary>
internal static class Nicknames
{
    private static readonly Dictionary<string, string> Formal = Build(
        ("robert", "rob bob bobby robbie bert"), ("william", "will bill billy willy liam"),
        ("richard", "rick dick rich richie"), ("james", "jim jimmy jamie"), ("john", "jack johnny jon"),
        ("joseph", "joe joey"), ("thomas", "tom tommy"), ("michael", "mike mick mikey"),
        ("christopher", "chris kit"), ("daniel", "dan danny"), ("matthew", "matt"), ("anthony", "tony"),
        ("edward", "ed eddie ted ned"), ("charles", "charlie chuck chas"), ("david", "dave davy"),
        ("stephen", "steve stevie"), ("steven", "steve"), ("andrew", "andy drew"), ("benjamin", "ben benny"),
        ("samuel", "sam sammy"), ("alexander", "alex alec sandy"), ("nicholas", "nick nicky"),
        ("jonathan", "jon jonny"), ("timothy", "tim timmy"), ("patrick", "pat paddy"), ("peter", "pete"),
        ("gregory", "greg"), ("kenneth", "ken kenny"), ("ronald", "ron ronnie"), ("donald", "don donnie"),
        ("lawrence", "larry"), ("gerald", "gerry jerry"), ("harold", "harry hal"), ("henry", "hank harry"),
        ("frederick", "fred freddie"), ("francis", "frank"), ("phillip", "phil"), ("philip", "phil"),
        ("raymond", "ray"), ("zachary", "zach zack"), ("joshua", "josh"), ("nathaniel", "nate nat"),
        ("nathan", "nate"), ("jacob", "jake"), ("oliver", "ollie"), ("elizabeth", "liz lizzie beth betty eliza libby"),
        ("margaret", "maggie meg peggy"), ("catherine", "cathy kate katie"), ("katherine", "kathy kate katie"),
        ("jennifer", "jen jenny"), ("jessica", "jess jessie"), ("patricia", "pat patty trish"),
        ("susan", "sue susie"), ("deborah", "deb debbie"), ("rebecca", "becky becca"), ("victoria", "vicky tori"),
        ("christine", "chris chrissy"), ("christina", "chris tina"), ("alexandra", "alex lexi sandra"),
        ("abigail", "abby"), ("samantha", "sam sammy"), ("kimberly", "kim"), ("jacqueline", "jackie"),
        ("dorothy", "dot dottie"), ("barbara", "barb babs"), ("eleanor", "ellie nell"), ("isabella", "bella izzy"),
        ("isabel", "izzy"), ("amelia", "millie"), ("emily", "em emmy"), ("olivia", "liv"), ("sophia", "sophie"),
        ("charlotte", "lottie charlie"), ("madeline", "maddie"), ("theodore", "theo ted teddy"),
        ("mathew", "matt"), ("leonard", "len lenny leo"), ("vincent", "vince vinny"), ("douglas", "doug"),
        ("albert", "al bert"), ("alfred", "alf alfie"), ("louis", "lou"), ("eugene", "gene"));

    /// <summary>The formal form of a lower-case first name, or the name itself.</summary>
    public static string Canonical(string name) => Formal.TryGetValue(name, out var formal) ? formal : name;

    private static Dictionary<string, string> Build(params (string Formal, string Nicknames)[] rows)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (formal, nicknames) in rows)
        {
            // A nickname of several names (pat, chris, alex) keeps the first: enough to make them compare equal there.
            foreach (var nick in nicknames.Split(' ')) map.TryAdd(nick, formal);
        }
        return map;
    }
}
