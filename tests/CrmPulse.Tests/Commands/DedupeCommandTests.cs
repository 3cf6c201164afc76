using CrmPulse.Hosting;

namespace CrmPulse.Tests.Commands;

/// <summary>crmpulse dedupe end to end: a small CSV in, pairs and clusters CSV out; bad input named by file, line, column.</summary>
public sealed class DedupeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-dedupe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Header = "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Create Date";

    // 1 and 2: one e-mail (case and a trailing space differ), one name, one company → e-mail 10 + first 4 + last 6
    //   + company 2 = 22 bits → 1 / (1 + 2^(9 − 22)) = 0.99988. 1 is older: the survivor.
    // 3 and 4: one phone in two formats, "Jon" is a nickname of "John", "Globex Corporation" is "Globex" → phone 9
    //   + first 4 + last 6 + company 2 = 21 bits → 0.99976. 4 is older: the survivor.
    // 5 shares nothing.
    private const string Contacts = Header + "\n" +
        "1,Jane,Doe,jane.doe@acme.com,+1 415 555 0101,Acme Inc.,2024-01-05\n" +
        "2,JANE,Doe,JANE.DOE@ACME.COM ,,ACME,2024-03-01\n" +
        "3,John,Smith,john@globex.com,212 555 0199,Globex,2024-02-01\n" +
        "4,Jon,Smith,,(212) 555-0199,Globex Corporation,2023-12-01\n" +
        "5,Maria,Garcia,maria@initech.com,,Initech,2024-01-01\n";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await CrmPulseApp.RunAsync(["dedupe", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Writes_the_pairs_with_scores_and_reasons_and_the_clusters_with_their_survivors()
    {
        var input = Write("contacts.csv", Contacts);
        var (pairs, clusters) = (Path.Combine(_dir, "pairs.csv"), Path.Combine(_dir, "clusters.csv"));

        var (code, output, error) = await Run(input, "--pairs", pairs, "--clusters", clusters);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(
            "left_id,right_id,score,reason\n" +
            "1,2,0.9999,same e-mail + same name + company\n" +
            "3,4,0.9998,same phone + similar name + company\n", File.ReadAllText(pairs).ReplaceLineEndings("\n"));
        Assert.Equal(
            "cluster,id,survivor\n" +
            "1,1,1\n1,2,1\n" +
            "2,4,4\n2,3,4\n", File.ReadAllText(clusters).ReplaceLineEndings("\n"));
        Assert.Contains("5 records", output);
        Assert.Contains("2 duplicate pairs, 2 clusters, 2 removable duplicates.", output);
    }

    [Fact]
    public async Task The_febrl_preset_maps_its_columns_and_trims_the_spaces_after_commas()
    {
        // Same person, surname typo and one postcode digit: first 4 + last (jolly/jolyl: JW 0.96, all of 6) + street 5
        // + suburb 2 + postcode (one edit: half-way, −1.5 + 4.5·0.5 = 0.75) + state 0.5 + birth date 7 = 25.25 bits.
        var input = Write("febrl.csv",
            "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n" +
            "rec-6-org, jesse, jolly, 4, eucumbene drive, , elwood, 2171, vic, 19461208, 8758918\n" +
            "rec-6-dup-0, jesse, jolyl, 4, eucumbene drive, , elwood, 2111, vic, 19461208, 8758918\n" +
            "rec-7-org, sarah, bruhn, 44, forbes street, wintersloe, kellerberrin, 4510, vic, 19300213, 7535316\n");
        var clusters = Path.Combine(_dir, "clusters.csv");

        var (code, _, error) = await Run(input, "--preset", "febrl", "--clusters", clusters);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal("cluster,id,survivor\n1,rec-6-dup-0,rec-6-dup-0\n1,rec-6-org,rec-6-dup-0\n", File.ReadAllText(clusters).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task An_extra_column_mapped_with_a_kind_separates_two_otherwise_similar_people()
    {
        // Three Grace Jensens of one city (fixed weights): first 4 + last 6 + city 2 = 12 bits → 8/9, every pair. With
        // the occupation mapped as text, "nurse" and "pilot" (Jaro-Winkler 0) add −2 and "Nurse", "nurse" +1; with the
        // gender mapped as exact, "F", "f" add +1 and "F", "M" −2. 1 and 3: 12 + 1 + 1 = 14 bits → 32/33 = 0.9697;
        // 2 with either: 12 − 2 − 2 = 8 bits → 1/3, two people.
        var input = Write("people.csv",
            "id,first,last,town,job,sex\n" +
            "1,Grace,Jensen,Oslo,Nurse,F\n" +
            "2,Grace,Jensen,Oslo,pilot,M\n" +
            "3,Grace,Jensen,Oslo,nurse,f\n");
        var pairs = Path.Combine(_dir, "pairs.csv");
        string[] names = ["--map", "first_name=first", "--map", "last_name=last", "--map", "city=town"];

        var (code, _, error) = await Run([input, .. names, "--pairs", pairs]);
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(
            "left_id,right_id,score,reason\n1,2,0.8889,same name + address\n1,3,0.8889,same name + address\n2,3,0.8889,same name + address\n",
            File.ReadAllText(pairs).ReplaceLineEndings("\n"));

        (code, _, error) = await Run([input, .. names, "--map", "occupation:text=job", "--map", "Gender:EXACT=sex", "--pairs", pairs]);
        Assert.Equal((0, ""), (code, error));
        Assert.Equal("left_id,right_id,score,reason\n1,3,0.9697,same name + address + gender + occupation\n",
            File.ReadAllText(pairs).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_febrl_preset_compares_address_2_as_text()
    {
        // rec-1 and rec-2: one name, street and suburb, different building names: first 4 + last 6 + street 5 + suburb 2
        // − 2 (address_2: "wintersloe", "kirkdale" far apart) = 15 bits → 1 / (1 + 2^(9 − 15)) = 0.9846.
        var input = Write("febrl.csv",
            "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n" +
            "rec-1-org, sarah, bruhn, 44, forbes street, wintersloe, kellerberrin, , , , 1\n" +
            "rec-2-org, sarah, bruhn, 44, forbes street, kirkdale, kellerberrin, , , , 2\n");
        var pairs = Path.Combine(_dir, "pairs.csv");

        var (code, _, error) = await Run(input, "--preset", "febrl", "--pairs", pairs);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal("left_id,right_id,score,reason\nrec-1-org,rec-2-org,0.9846,same name + address\n", File.ReadAllText(pairs).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_historical_preset_compares_birth_place_postcode_gender_and_occupation()
    {
        // Splink's historical_50k columns: birth_place and postcode_fake are found by their automatic header names too,
        // gender and occupation are compared only when mapped (the preset maps them). Q1-1 and Q2-1 share the birth
        // place, gender and occupation.
        var input = Write("historical.csv",
            "unique_id,cluster,full_name,first_and_surname,first_name,surname,dob,birth_place,postcode_fake,gender,occupation\n" +
            "Q1-1,Q1,john smith,john smith,john,smith,1850-03-04,bath,ba1 2xy,male,poet\n" +
            "Q2-1,Q2,john smith,john smith,john,smith,1850-03-04,bath,ls9 7ab,male,poet\n");
        var (withPreset, withoutPreset) = (Path.Combine(_dir, "with.csv"), Path.Combine(_dir, "without.csv"));

        var (code, _, error) = await Run(input, "--preset", "historical", "--pairs", withPreset);
        Assert.Equal((0, ""), (code, error));
        (code, _, error) = await Run(input, "--pairs", withoutPreset);
        Assert.Equal((0, ""), (code, error));

        var with = File.ReadAllLines(withPreset);
        var without = File.ReadAllLines(withoutPreset);
        Assert.Equal(2, with.Length);
        Assert.StartsWith("Q1-1,Q2-1,", with[1]);
        Assert.EndsWith("address + gender + occupation", with[1]);
        Assert.Equal(2, without.Length);
        Assert.StartsWith("Q1-1,Q2-1,", without[1]);
        Assert.Contains("address", without[1]);
        Assert.DoesNotContain("gender", without[1]);
        Assert.DoesNotContain("occupation", without[1]);
    }

    [Fact]
    public async Task A_mapped_column_missing_from_the_header_is_named_with_the_file_and_line()
    {
        var input = Write("contacts.csv", Contacts);

        var (code, _, error) = await Run(input, "--map", "first_name=given_name");

        Assert.Equal(2, code);
        Assert.Contains($"{input}: line 1: no column 'given_name' for first_name (header: Record ID, First Name,", error);
    }

    [Theory]
    [InlineData("1,Jane,Doe,a@b.com,,Acme,2024-01-01\n1,Jim,Roe,c@d.com,,Acme,2024-01-01\n", "line 3, column 1 (Record ID): id '1' is already on line 2.")]
    [InlineData("1,Jane,Doe,a@b.com\n", "line 2: 4 fields, but the header has 7.")]
    [InlineData("1,Jane,Doe,a@b.com,,Acme,yesterday\n", "line 2, column 7 (Create Date): 'yesterday' is not a date-time")]
    [InlineData(",Jane,Doe,a@b.com,,Acme,2024-01-01\n", "line 2, column 1 (Record ID): the id is empty.")]
    [InlineData("1,\"Jane,Doe,a@b.com,,Acme,2024-01-01\n", "line 2: the quote opening field 2 of the record starting on line 2 is never closed")]
    public async Task Bad_rows_stop_with_exit_2_and_name_the_file_line_and_column(string rows, string expected)
    {
        var input = Write("bad.csv", Header + "\n" + rows);

        var (code, _, error) = await Run(input);

        Assert.Equal(2, code);
        Assert.Contains($"dedupe: {input}: {expected}", error);
    }

    [Theory]
    [InlineData("--frobnicate", "Unrecognized command or argument '--frobnicate'.")]
    [InlineData("--max-block=1", "--max-block must be a whole number of at least 2, was '1'.")]
    [InlineData("--delimiter=;;", "--delimiter must be one character (or 'tab'), was ';;'.")]
    [InlineData("--map=first_name", "--map 'first_name': expected FIELD=COLUMN")]
    [InlineData("--threshold=1.5", "--threshold must be a number in (0, 1], was '1.5'.")]
    [InlineData("--weights=learned", "--weights must be fixed or fitted, was 'learned'.")]
    [InlineData("--map=nickname=x", "--map 'nickname=x': unknown field 'nickname' (fields: id, first_name,")]
    [InlineData("--map=nick-name=x", "another column is compared as NAME:KIND=COLUMN, KIND exact, text or date, e.g. --map nickname:text=x)")]
    [InlineData("--map=gender:bool=sex", "--map 'gender:bool=sex': unknown kind 'bool' (kinds: exact, text, date).")]
    [InlineData("--map=city:text=town", "--map 'city:text=town': 'city' is a standard field with its own comparison; give it without a kind (--map city=town).")]
    [InlineData("--map=job title:text=x", "--map 'job title:text=x': the extra field's name 'job title' may hold only letters, digits and '_'.")]
    [InlineData("--map=:exact=x", "--map ':exact=x': the extra field's name '' may hold only letters, digits and '_'.")]
    [InlineData("--map=gender:=sex", "--map 'gender:=sex': unknown kind '' (kinds: exact, text, date).")]
    [InlineData("--preset=zoho", "--preset 'zoho' is not known (known: febrl, historical, hubspot, salesforce).")]
    public async Task Bad_options_stop_with_exit_2_and_the_usage(string option, string expected)
    {
        var input = Write("contacts.csv", Contacts);

        var (code, _, error) = await Run(input, option);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.Contains("crmpulse dedupe <FILE> [options]", error);
    }

    [Fact]
    public async Task More_than_six_extra_fields_stop_with_exit_2()
    {
        var input = Write("contacts.csv", Contacts);

        var (code, _, error) = await Run([input, .. Enumerable.Range(1, 7).SelectMany(i => new[] { "--map", $"f{i}:exact=c{i}" })]);

        Assert.Equal(2, code);
        Assert.Contains("--map: at most 6 extra fields, were 7 (f1, f2, f3, f4, f5, f6, f7).", error);
    }

    [Fact]
    public async Task An_extra_fields_column_missing_from_the_header_is_named()
    {
        var input = Write("contacts.csv", Contacts);

        var (code, _, error) = await Run(input, "--map", "occupation:text=Job Title");

        Assert.Equal(2, code);
        Assert.Contains($"{input}: line 1: no column 'Job Title' for occupation (header: Record ID,", error);
    }

    [Fact]
    public async Task A_missing_input_file_is_named()
    {
        var (code, _, error) = await Run(Path.Combine(_dir, "nope.csv"));

        Assert.Equal(2, code);
        Assert.Contains($"cannot read '{Path.Combine(_dir, "nope.csv")}'", error);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_succeeds()
    {
        var (code, output, _) = await Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("--clusters <FILE>", output);
    }
}
