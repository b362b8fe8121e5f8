import { createPublicKey } from "node:crypto";
import type { Router } from "express";
import { jwtVerify } from "jose";
import type { OrgUsers } from "./org-users.js";

export interface JwtBearerConfig {
  /** The connected app's consumer key: the assertion's `iss`. */
  clientId: string;
  /** PEM public key (or certificate) the assertion must be signed with (RS256). */
  publicKey: string;
}

/**
 * `POST /services/oauth2/token` (JWT bearer grant: `iss` the consumer key, `sub` a username,
 * `aud` the login URL) and the identity URL (`GET /id/<orgId>/<userId>`) a token response names.
 */
export function registerAuthRoutes(
  router: Router,
  users: OrgUsers,
  baseUrl: () => string,
  jwt: JwtBearerConfig | undefined,
): void {
  router.post("/services/oauth2/token", async (req, res) => {
    const body = req.body as Record<string, string>;
    const refuse = (description: string) =>
      res.status(400).json({ error: "invalid_grant", error_description: description });
    if (body["grant_type"] !== "urn:ietf:params:oauth:grant-type:jwt-bearer" || !jwt)
      return refuse("unsupported grant");
    try {
      const { payload } = await jwtVerify(String(body["assertion"]), createPublicKey(jwt.publicKey), {
        issuer: jwt.clientId,
        audience: [baseUrl(), "https://login.salesforce.com", "https://test.salesforce.com"],
        algorithms: ["RS256"],
      });
      const user = users.findByUsername(String(payload.sub));
      if (!user) return refuse("user hasn't approved this consumer");
      if (users.isFrozen(user.id)) return refuse("user is frozen");
      return res.json({
        access_token: users.issue(user.id),
        instance_url: baseUrl(),
        id: `${baseUrl()}/id/${users.orgId}/${user.id}`,
        token_type: "Bearer",
        scope: "api",
        issued_at: String(Date.now()),
      });
    } catch (err) {
      return refuse(`invalid assertion: ${(err as Error).message}`);
    }
  });
  router.get("/services/oauth2/userinfo", (req, res) => {
    const userId = users.authenticate(req.header("authorization"));
    if (!userId) return void res.status(403).send("Bad_OAuth_Token");
    res.json({ sub: `${baseUrl()}/id/${users.orgId}/${userId}`, organization_id: users.orgId, user_id: userId });
  });
  router.get("/id/:orgId/:userId", (req, res) => {
    if (!users.authenticate(req.header("authorization"))) return void res.status(403).send("Bad_OAuth_Token");
    res.json({ id: req.originalUrl, organization_id: users.orgId, user_id: req.params["userId"] });
  });
}
