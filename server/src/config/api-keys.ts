import { z } from "zod";

/** docs/contracts.md#configuration: the human and agent roles an API key can carry. */
export const API_KEY_ROLES = ["agent", "owner", "revops_admin", "operator", "approver", "auditor"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const apiKeyEntrySchema = z
  .object({
    key: z.string().min(16, "an API key must be at least 16 characters"),
    role: z.enum(API_KEY_ROLES),
    agentId: z.string().min(1).optional(),
    /** The person or system the key identifies, shown in the audit; required for people's keys, unique. */
    name: z.string().trim().min(1).max(200).optional(),
    /**
     * The person's email: their key and their CRM card session are one person for the
     * two-person rule (docs/operations.md). Two keys with one email are one person.
     */
    email: z.email("expected an email address").max(320).optional(),
    /**
     * Which tenant the key acts for. `"*"` (owner keys only) lets it name any tenant with
     * `?tenantId=`. @defaultValue the policy's (or the private app's) tenant
     */
    tenantId: z
      .string()
      .regex(/^(\*|[A-Za-z0-9_-]{1,64})$/, 'expected a tenant id or "*"')
      .optional(),
  })
  .strict()
  .refine((k) => k.role !== "agent" || k.agentId !== undefined, {
    message: "an agent key needs agentId",
    path: ["agentId"],
  })
  .refine((k) => k.role === "agent" || k.name !== undefined, {
    message: "a person's key needs a name (who it is, shown in the audit and counted once for approvals)",
    path: ["name"],
  })
  .refine((k) => k.tenantId !== "*" || k.role === "owner", {
    message: 'only an owner key may act on every tenant ("*")',
    path: ["tenantId"],
  });

export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;
export const apiKeysSchema = z.array(apiKeyEntrySchema).superRefine((keys, ctx) => {
  const names = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k.name === undefined) return;
    const id = k.name.toLowerCase();
    const seen = names.get(id);
    if (seen !== undefined)
      ctx.addIssue({
        code: "custom",
        path: [i, "name"],
        message: `the name ${JSON.stringify(k.name)} is also entry ${seen}'s: names are unique (give both keys one email to make them one person)`,
      });
    else names.set(id, i);
  });
});
