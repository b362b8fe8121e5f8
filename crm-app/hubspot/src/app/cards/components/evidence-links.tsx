import { Flex, Link, Text } from "@hubspot/ui-extensions";
import { evidenceLinks, evidenceSummary } from "../lib/format";

/** The evidence bundle's sources as external links, then whatever else it holds as one line. */
export function EvidenceLinks({ evidence, testId }: { evidence: unknown; testId: string }) {
  const links = evidenceLinks(evidence);
  const summary = evidenceSummary(evidence);
  if (links.length === 0 && summary === "") return null;
  return (
    <Flex direction="column" gap="flush" testId={testId}>
      {links.length > 0 && (
        <Flex direction="row" gap="xs" wrap="wrap">
          <Text variant="microcopy">Evidence:</Text>
          {links.map((link) => (
            <Link key={link.href} href={{ url: link.href, external: true }}>
              {link.label}
            </Link>
          ))}
        </Flex>
      )}
      {summary !== "" && (
        <Text variant="microcopy" truncate={{ tooltipText: summary }}>
          {summary}
        </Text>
      )}
    </Flex>
  );
}
