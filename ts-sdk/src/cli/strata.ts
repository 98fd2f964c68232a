// Entry of the `strata` command (ts-sdk/bin/strata.mjs runs this file under Node 22's type stripping).
import { main } from "./main.ts";

const code = await main(process.argv.slice(2));
process.exit(code);
