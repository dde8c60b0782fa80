/// Placeholder so the module builds; replaced by the module's real sources.
public enum EngramAIModule { public static let name = "EngramAI" }
