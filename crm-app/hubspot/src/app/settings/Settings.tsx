import { hubspot } from "@hubspot/ui-extensions";
import { SettingsPage } from "tollgate-hubspot-cards/pages/settings-page";

/**
 * The app's settings page (2025.2 `settings` component): the RevOps view, shared with the cards through the workspace.
 */
hubspot.extend<"settings">(({ context }) => <SettingsPage context={context} />);
