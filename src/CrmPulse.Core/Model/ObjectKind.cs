namespace CrmPulse.Core.Model;

/// <summary>The kinds of records a source syncs into the mirror.</summary>
public enum ObjectKind
{
    User,
    Login,
    Contact,
    Company,
    Deal,
    Activity,
}
