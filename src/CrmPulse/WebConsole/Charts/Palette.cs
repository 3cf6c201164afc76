namespace CrmPulse.WebConsole.Charts;

/// <summary>Line and bar colours: each has at least 4.5:1 contrast on white, and the order keeps neighbours apart.</summary>
public static class Palette
{
    public static readonly IReadOnlyList<string> Colors = ["#1f5fbf", "#b3411a", "#1b7a3d", "#7a3db8", "#8a6d00", "#0f7480", "#b01e5a", "#4d5b6a"];

    public static string At(int index) => Colors[index % Colors.Count];
}
