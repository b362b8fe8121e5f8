import { TollgateError } from "../errors/index.js";

/** The same idempotency key came with a different request: answering either would be wrong. */
export class IdempotencyKeyReusedError extends TollgateError {
  constructor(key: string) {
    super("idempotency_key_reused", `idempotency key ${JSON.stringify(key)} was used for a different request`, {
      httpStatus: 409,
      details: { idempotencyKey: key },
    });
  }
}

/** Another request with this idempotency key is being decided; retry shortly for its answer. */
export class ActionInProgressError extends TollgateError {
  constructor(key: string) {
    super(
      "action_in_progress",
      `a request with idempotency key ${JSON.stringify(key)} is still being decided; retry shortly`,
      { httpStatus: 409, details: { idempotencyKey: key } },
    );
  }
}

/** The CRM could not be read where the gate must know a value (what an approver is shown). */
export class CrmUnavailableError extends TollgateError {
  constructor(message: string) {
    super("crm_unavailable", message, { httpStatus: 503 });
  }
}

/** A field write for a CRM the write queue cannot reach: deciding it would promise what cannot be done. */
export class CrmNotConnectedError extends TollgateError {
  constructor(crm: string) {
    super(
      "crm_not_connected",
      `update_field on ${crm} cannot be carried out: this Tollgate writes to ${crm} through no connector`,
      { httpStatus: 422, details: { crm } },
    );
  }
}
