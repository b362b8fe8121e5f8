import { z } from "zod";

/**
 * docs/contracts.md#http-api: `POST /v1/agent-tokens` — an agent app installed through Tollgate asks for a
 * short-lived HubSpot access token. `agentId`, when given, must be the key's own agent.
 */
export const agentTokenRequestSchema = z.object({ agentId: z.string().min(1).max(200).optional() }).strict();
export const agentTokenResponseSchema = z.object({ accessToken: z.string(), expiresAt: z.string().datetime() });

export type AgentTokenRequest = z.infer<typeof agentTokenRequestSchema>;
export type AgentTokenResponse = z.infer<typeof agentTokenResponseSchema>;
