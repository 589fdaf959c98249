// Types: @commander-js/extra-typings for the same commander version (deno.json); see README.md.
export * from "commander-extra-typings";
