import { Button, Flex, Heading, LoadingSpinner, Select, Text, type BaseContext } from "@hubspot/ui-extensions";
import { useMemo, useState } from "react";
import { LoadError } from "../components/approval-panel";
import { DecisionResults } from "../components/decision-results";
import { PendingProposals } from "../components/pending-proposals";
import type { RecordLink } from "../components/proposal-item";
import { useDecisions } from "../hooks/use-decisions";
import { useInbox } from "../hooks/use-inbox";
import { pageIdentityOf } from "../lib/tollgate-url";
import { INBOX_VIEWS, type Approval, type InboxView } from "../lib/types";

export interface InboxPageProps {
  context: BaseContext;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** How often to look again while an approved value is being written. */
  applyPollMs?: number;
}

const VIEW_LABELS: Record<InboxView, string> = { mine: "Mine", team: "My team's", overdue: "Overdue", all: "All" };
const OBJECT_FILTERS = [
  { label: "All records", value: "" },
  { label: "Contacts", value: "contacts" },
  { label: "Companies", value: "companies" },
  { label: "Deals", value: "deals" },
  { label: "Leads", value: "leads" },
];
const OBJECT_TYPE_IDS: Record<string, string> = { contacts: "0-1", companies: "0-2", deals: "0-3", leads: "0-136" };
const SINGULAR: Record<string, string> = { contacts: "Contact", companies: "Company", deals: "Deal", leads: "Lead" };

/**
 * The app's home page: AI proposals waiting across records — mine (I may decide), my team's,
 * overdue, all — filtered by object, each linked to its record, decided one by one or in a
 * confirmed batch, through the same signed requests and approver-group checks as the record card.
 */
export function InboxPage({ context, now = defaultNow, applyPollMs }: InboxPageProps) {
  const identity = useMemo(() => pageIdentityOf(context), [context]);
  const [view, setView] = useState<InboxView>("mine");
  const [objectType, setObjectType] = useState("");
  const { state, reload } = useInbox(identity, { view, objectType: objectType || undefined });
  const inbox = state.status === "success" ? state.data : null;
  const decisions = useDecisions(identity, {
    approvals: inbox?.approvals ?? null,
    reload,
    onApplied: noop,
    pollMs: applyPollMs,
  });
  const recordLinkOf = (a: Approval): RecordLink => ({
    label: `${SINGULAR[a.objectType] ?? a.objectType} ${a.objectId}`,
    href: `https://app.hubspot.com/contacts/${context.portal.id}/record/${OBJECT_TYPE_IDS[a.objectType] ?? a.objectType}/${a.objectId}`,
  });

  return (
    <Flex direction="column" gap="sm">
      <Heading>Approval inbox</Heading>
      <Flex direction="row" gap="xs" wrap="wrap">
        {INBOX_VIEWS.map((v) => (
          <Button
            key={v}
            testId={`view-${v}`}
            size="xs"
            variant={v === view ? "primary" : "secondary"}
            onClick={() => setView(v)}
          >
            {VIEW_LABELS[v]}
            {inbox ? ` (${inbox.counts[v]})` : ""}
          </Button>
        ))}
      </Flex>
      <Select
        testId="filter-object"
        name="objectType"
        label="Records"
        value={objectType}
        options={OBJECT_FILTERS}
        onChange={(value) => setObjectType(String(value))}
      />
      <DecisionResults results={decisions.results} />
      {state.status === "loading" ? (
        <LoadingSpinner testId="approvals-loading" label="Loading proposals" layout="centered" />
      ) : state.status === "error" ? (
        <LoadError message={state.error} retry={reload} />
      ) : (
        <PendingProposals
          pending={state.data.approvals}
          now={now()}
          decisions={decisions}
          recordLinkOf={recordLinkOf}
          emptyText={EMPTY_TEXT[view]}
        />
      )}
      <Text variant="microcopy">
        Overdue: waiting longer than half of the time before it expires. Tollgate checks your approver group on every
        decision.
      </Text>
    </Flex>
  );
}

const EMPTY_TEXT: Record<InboxView, string> = {
  mine: "Nothing waits for your decision.",
  team: "Nothing waits for your teams.",
  overdue: "Nothing is overdue.",
  all: "No agent proposal is waiting for anyone.",
};

const defaultNow = () => new Date();
const noop = () => undefined;
