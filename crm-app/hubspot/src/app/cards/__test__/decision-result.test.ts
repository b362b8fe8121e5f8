import { describe, expect, it } from "vitest";
import { resultFromBatchItem, resultFromError, resultFromResponse, settleResult } from "../lib/decision-result";
import { TollgateRequestError } from "../lib/fetch-tollgate";
import { makeApproval } from "./fixtures";

const fieldOf = (id: string) => `field-of-${id}`;

describe("decision results", () => {
  it("reads Tollgate's answer: what the request did, and the approval as it stands", () => {
    expect(resultFromResponse({ ...makeApproval({ status: "approved" }), outcome: "approved" })).toEqual({
      id: "ap_1",
      field: "industry",
      outcome: "applying",
      message: "Approved; Tollgate is applying it to the record",
    });
    expect(resultFromResponse({ ...makeApproval({ status: "applied" }), outcome: "approved" }).outcome).toBe("applied");
    expect(resultFromResponse({ ...makeApproval(), outcome: "partially_approved" }).outcome).toBe("recorded");
    expect(resultFromResponse({ ...makeApproval({ status: "rejected" }), outcome: "rejected" }).outcome).toBe(
      "rejected",
    );
    expect(resultFromResponse({ ...makeApproval({ status: "rejected" }), outcome: "unchanged" })).toMatchObject({
      outcome: "unchanged",
      message: "You had already decided this (rejected)",
    });
  });

  it("branches on the error code, never its text", () => {
    const listed = { id: "ap_1", field: "industry" };
    const conflict = new TollgateRequestError({ code: "conflict", message: "changed" }, 409);
    const other = new TollgateRequestError({ code: "approval_expired", message: "a conflict in wording only" }, 409);
    expect(resultFromError(listed, conflict)).toEqual({
      id: "ap_1",
      field: "industry",
      outcome: "conflict",
      message: "changed",
    });
    expect(resultFromError(listed, other)).toMatchObject({
      outcome: "refused",
      message: "a conflict in wording only",
    });
    expect(resultFromError(listed, new Error("boom"))).toMatchObject({
      outcome: "refused",
      message: "boom",
    });
  });

  it("reads a batch item, refused alone or decided", () => {
    expect(
      resultFromBatchItem(
        { id: "ap_9", ok: false, status: null, error: { code: "not_found", message: "no approval ap_9" } },
        fieldOf,
      ),
    ).toEqual({
      id: "ap_9",
      field: "field-of-ap_9",
      outcome: "refused",
      message: "no approval ap_9",
    });
    expect(
      resultFromBatchItem({ id: "ap_9", ok: true, status: "approved", outcome: "approved" }, fieldOf),
    ).toMatchObject({ field: "field-of-ap_9", outcome: "applying" });
    expect(
      resultFromBatchItem(
        { id: "ap_1", ok: true, status: "pending", outcome: "partially_approved", approval: makeApproval() },
        fieldOf,
      ),
    ).toMatchObject({
      field: "industry",
      message: "Your approval is recorded (1 of 2); another approver is needed",
    });
    expect(resultFromBatchItem({ id: "ap_9", ok: true, status: null }, fieldOf)).toMatchObject({ outcome: "refused" });
  });

  it("names the field by the portal's label: the batch item's fieldLabel, else its approval's, else the list's", () => {
    const labelled = makeApproval({ fieldLabel: "Industry sector" });
    expect(
      resultFromBatchItem(
        {
          id: "ap_1",
          ok: true,
          status: "approved",
          outcome: "approved",
          fieldLabel: "Industry sector",
          approval: labelled,
        },
        fieldOf,
      ).field,
    ).toBe("Industry sector");
    expect(
      resultFromBatchItem(
        {
          id: "ap_1",
          ok: false,
          status: "expired",
          error: { code: "approval_expired", message: "expired" },
          approval: labelled,
        },
        fieldOf,
      ).field,
    ).toBe("Industry sector");
    // An older Tollgate sends no label: the internal name, as before.
    expect(resultFromResponse({ ...makeApproval({ status: "rejected" }), outcome: "rejected" }).field).toBe("industry");
    expect(resultFromResponse({ ...labelled, status: "rejected", outcome: "rejected" }).field).toBe("Industry sector");
    expect(resultFromError(labelled, new Error("down")).field).toBe("Industry sector");
  });

  it("settles an applying result from the approval's status once the write is done", () => {
    const applying = resultFromResponse({ ...makeApproval({ status: "approved" }), outcome: "approved" });
    expect(settleResult(applying, makeApproval({ status: "applied" })).outcome).toBe("applied");
    expect(settleResult(applying, makeApproval({ status: "conflict" })).outcome).toBe("conflict");
    expect(settleResult(applying, makeApproval({ status: "failed" })).outcome).toBe("refused");
    expect(settleResult(applying, makeApproval({ status: "approved" }))).toBe(applying);
    expect(settleResult(applying, undefined)).toBe(applying);
    const rejected = resultFromResponse({ ...makeApproval({ status: "rejected" }), outcome: "rejected" });
    expect(settleResult(rejected, makeApproval({ status: "applied" }))).toBe(rejected);
  });
});
