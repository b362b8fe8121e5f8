import { z } from "zod";

/**
 * docs/contracts.md "Fields the app installs" (contract): `ai_sdr_source` (`AI_SDR_Source__c`)
 * is the data provider (`apollo`), or a JSON object that also carries the agent's versions and the
 * tool that made the change, so the webhook path's audit has them as the gate's does:
 * `{"source": "apollo", "model": "gpt-4o-2024-08-06", "prompt": "enrich-v7", "promptHash": "…", "agent": "1.4.2",
 * "tool": "enrich_contact"}`.
 */
export const agentSourceSchema = z.object({
  source: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  prompt: z.string().min(1).max(200).optional(),
  promptHash: z.string().min(1).max(200).optional(),
  agent: z.string().min(1).max(200).optional(),
  tool: z.string().min(1).max(200).optional(),
});

/** The audit event's names for what the structured value carries. */
export interface AgentVersions {
  model_version: string | null;
  prompt_version: string | null;
  prompt_hash: string | null;
  agent_version: string | null;
  tool_name: string | null;
}

export const NO_AGENT_VERSIONS: AgentVersions = {
  model_version: null,
  prompt_version: null,
  prompt_hash: null,
  agent_version: null,
  tool_name: null,
};

/** `ai_sdr_source` as written → the provider and the versions; a plain string is the provider alone. */
export function parseAgentSource(raw: string | null | undefined): { source: string | null; versions: AgentVersions } {
  const text = raw?.trim() ?? "";
  if (!text.startsWith("{")) return { source: text || null, versions: NO_AGENT_VERSIONS };
  let parsed: z.ZodSafeParseResult<z.infer<typeof agentSourceSchema>>;
  try {
    parsed = agentSourceSchema.safeParse(JSON.parse(text));
  } catch {
    return { source: text, versions: NO_AGENT_VERSIONS };
  }
  if (!parsed.success) return { source: text, versions: NO_AGENT_VERSIONS };
  const v = parsed.data;
  return {
    source: v.source ?? null,
    versions: {
      model_version: v.model ?? null,
      prompt_version: v.prompt ?? null,
      prompt_hash: v.promptHash ?? null,
      agent_version: v.agent ?? null,
      tool_name: v.tool ?? null,
    },
  };
}
