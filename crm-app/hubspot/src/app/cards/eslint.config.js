// HubSpot's template ESLint config for 2025.2 UI extensions, as `hs project lint` fetches it
// (HubSpot/hubspot-project-components `2025.2/components/cards/src/app/cards/eslint.config.js`;
// hubspot-cli `lib/projects/uieLinting.ts`). Kept as HubSpot wrote it, so `npm run lint` at the
// repository root fails exactly where `hs project lint` would.
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import unusedImports from "eslint-plugin-unused-imports";
import prettier from "eslint-config-prettier";
import { config as uiExtensionsConfig } from "@hubspot/eslint-config-ui-extensions";

export default defineConfig([
  js.configs.recommended,
  tseslint.configs.recommended,
  tseslint.configs.stylistic,
  react.configs.flat.recommended,
  react.configs.flat["jsx-runtime"],
  {
    settings: {
      react: { version: "detect" },
    },
  },
  ...uiExtensionsConfig,
  reactHooks.configs.flat["recommended-latest"],
  {
    plugins: {
      "unused-imports": unusedImports,
    },
    rules: {
      "react/prop-types": "off",
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": "off",
      "unused-imports/no-unused-imports": "error",
      "unused-imports/no-unused-vars": [
        "warn",
        {
          vars: "all",
          varsIgnorePattern: "^_",
          args: "after-used",
          argsIgnorePattern: "^_",
        },
      ],
    },
  },
  prettier,
]);
