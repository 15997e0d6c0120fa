/** The version the agent reports (`com.flotilla.agent-version`, versionInfo.agentVersion). */
export const AGENT_VERSION = "0.1.0";
