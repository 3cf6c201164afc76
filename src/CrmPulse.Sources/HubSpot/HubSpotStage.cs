namespace CrmPulse.Sources.HubSpot;

/// <summary>A deal stage from the pipelines API (its metadata values arrive as strings: isClosed "true", probability "0.2").</summary>
internal sealed record HubSpotStage(string Id, string PipelineId, string Label, bool IsClosed, decimal? Probability);
