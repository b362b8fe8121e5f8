import { hubspot, type CrmContext } from "@hubspot/ui-extensions";
import { useMemo } from "react";
import { ApprovalPanel } from "./components/approval-panel";
import { identityOf } from "./lib/tollgate-url";

export interface ApprovalCardProps {
  context: CrmContext;
  actions: { refreshObjectProperties: () => void };
  /** The clock "time left" is measured against. @defaultValue `() => new Date()` */
  now?: () => Date;
  /** How often the card looks again while an approved value is being written. @defaultValue 2000 */
  applyPollMs?: number;
}

/** Entry point of `approval-card-hsmeta.json` (record sidebar). */
hubspot.extend<"crm.record.sidebar">(({ context, actions }) => <ApprovalCard context={context} actions={actions} />);

/** Pending AI proposals for this record, to approve or reject, and the recent decisions. */
export function ApprovalCard({ context, actions, now = defaultNow, applyPollMs }: ApprovalCardProps) {
  const identity = useMemo(() => identityOf(context), [context]);
  const display = useMemo(
    () => ({ timeZone: context.portal.timezone, locale: context.user.locale }),
    [context.portal.timezone, context.user.locale],
  );
  return (
    <ApprovalPanel
      identity={identity}
      display={display}
      refreshObjectProperties={actions.refreshObjectProperties}
      now={now}
      applyPollMs={applyPollMs}
    />
  );
}

const defaultNow = () => new Date();
