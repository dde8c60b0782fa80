// engram's own value types (JSONValue…) live in EngramModel, which the LLM providers share without the core;
// every importer of the core sees them as before.
@_exported import EngramModel
