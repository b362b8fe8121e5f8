import { OAuth2 } from "jsforce";
import { SignJWT, importPKCS8 } from "jose";
import type { SalesforceJwtAuth } from "./types.js";

export interface SalesforceTokenResponse {
  access_token: string;
  instance_url: string;
  /** `https://login.salesforce.com/id/<orgId>/<userId>` */
  id: string;
}

/**
 * The OAuth 2.0 JWT bearer flow: an RS256 assertion (`iss` consumer key, `sub` username, `aud`
 * login URL, a short `exp`) exchanged at `/services/oauth2/token`. Salesforce returns no refresh
 * token here, so each refresh mints a new assertion.
 * @see docs/salesforce.md (connecting an org)
 */
export async function mintJwtToken(
  auth: SalesforceJwtAuth,
  now: () => number = Date.now,
): Promise<SalesforceTokenResponse> {
  const key = await importPKCS8(auth.privateKey, "RS256");
  const issuedAt = Math.floor(now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(auth.clientId)
    .setSubject(auth.username)
    .setAudience(auth.loginUrl.replace(/\/+$/, ""))
    .setExpirationTime(issuedAt + 180)
    .sign(key);
  const oauth2 = new OAuth2({ loginUrl: auth.loginUrl });
  const response = (await oauth2.requestToken({
    grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
    assertion,
  })) as unknown as SalesforceTokenResponse;
  return response;
}
