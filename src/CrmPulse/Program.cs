// CrmPulse: a long-running monitor of a CRM after go-live.
// The host is assembled in Hosting/CrmPulseApp.cs: options (Options/), sources (Hosting/SourceKinds.cs),
// the sync and KPI pipeline (Pipeline/), Quartz jobs (Jobs/), the Minimal API (Apis/) and /metrics (Metrics/).
return await CrmPulse.Hosting.CrmPulseApp.RunAsync(args);
