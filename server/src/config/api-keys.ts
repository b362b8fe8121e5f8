import { z } from "zod";

/** docs/contracts.md#configuration: the human and agent roles an API key can carry. */
export const API_KEY_ROLES = ["agent", "owner", "revops_admin", "operator", "approver", "auditor"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const apiKeyEntrySchema = z
  .object({
    key: z.string().min(16, "an API key must be at least 16 characters"),
    role: z.enum(API_KEY_ROLES),
    agentId: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    /** Which tenant the key acts for. @defaultValue the policy's tenant */
    tenantId: z.string().min(1).optional(),
  })
  .strict()
  .refine((k) => k.role !== "agent" || k.agentId !== undefined, {
    message: "an agent key needs agentId",
    path: ["agentId"],
  });

export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;
export const apiKeysSchema = z.array(apiKeyEntrySchema);
