/**
 * HubSpot's own parser over the committed project, once per shipped profile: 0 errors. And the
 * parser is shown to refuse what it refuses (so a pass means something): an unknown top-level
 * key, which is how the earlier `"$generated"` banner broke `hs project upload`.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseProject, PROFILES, PROJECT_DIR } from "./parse-project.js";

const componentTypes = (parsed: Awaited<ReturnType<typeof parseProject>>) =>
  Object.values(parsed.intermediateRepresentation.intermediateNodesIndexedByUid)
    .map((n) => n.componentType)
    .sort();

describe("@hubspot/project-parsing-lib over crm-app/hubspot", () => {
  it.each(PROFILES)("parses every component with profile %s: 0 errors, no skipped hsmeta files", async (profile) => {
    const parsed = await parseProject({ profile }).catch((err: unknown) => {
      throw new Error(String((err as { toString(): string }).toString()));
    });
    expect(parsed.skippedHsMetaFiles).toEqual([]);
    expect(componentTypes(parsed)).toEqual(["APPLICATION", "CARD", "CARD", "PAGE", "SETTINGS", "WEBHOOKS"]);
  });

  it("fills every ${variable} from the profile: no placeholder is left in what is uploaded", async () => {
    const parsed = await parseProject({ profile: "production" });
    const text = JSON.stringify(parsed.intermediateRepresentation.intermediateNodesIndexedByUid);
    expect(text).not.toMatch(/\$\{/);
    const profile = JSON.parse(await readFile(join(PROJECT_DIR, "src/hsprofile.production.json"), "utf8"));
    expect(text).toContain(`${profile.variables.TOLLGATE_URL}/webhooks/hubspot`);
  });

  describe("refuses a broken project", () => {
    const dirs: string[] = [];
    afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

    async function copyWith(file: string, edit: (json: Record<string, unknown>) => void): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), "tollgate-project-"));
      dirs.push(dir);
      await cp(join(PROJECT_DIR, "hsproject.json"), join(dir, "hsproject.json"));
      await cp(join(PROJECT_DIR, "src"), join(dir, "src"), {
        recursive: true,
        filter: (src) => !src.includes("node_modules"),
      });
      const json = JSON.parse(await readFile(join(dir, "src", file), "utf8"));
      edit(json);
      await writeFile(join(dir, "src", file), JSON.stringify(json));
      return dir;
    }

    it("an unknown top-level key in the webhooks file", async () => {
      const dir = await copyWith("app/webhooks/webhooks-hsmeta.json", (j) => (j.$generated = "by a script"));
      const err = await parseProject({ projectDir: dir, profile: "production" }).catch((e: unknown) => e);
      expect(String(err)).toMatch(/Unexpected top-level properties found: \$generated/);
    });

    it("a card config key the schema does not know", async () => {
      const dir = await copyWith("app/cards/approval-card-hsmeta.json", (j) => {
        (j.config as Record<string, unknown>).colour = "red";
      });
      const err = await parseProject({ projectDir: dir, profile: "production" }).catch((e: unknown) => e);
      expect((err as Error).name).toBe("TranslationError");
    });
  });
});
