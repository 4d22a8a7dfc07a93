// What Decap CMS writes for a record it opened and saved unchanged: its YAML format
// (decap-cms-core/src/formats/yaml.ts: fromFile, then toFile with the locked `yaml` package) applied to the file
// named on the command line, printed to standard output. README ("Production, measured not yet built") and
// tests/test_edit_server.py measure with it what publishing through Decap's own backends would do to a record.
const path = require("path");
const fs = require("fs");
const yaml = require(path.join(__dirname, "node_modules", "yaml"));

const content = fs.readFileSync(process.argv[2], "utf8");
const data = yaml.parseDocument(content, { prettyErrors: true }).toJSON();
const doc = new yaml.Document();
doc.contents = yaml.createNode(data);
process.stdout.write(doc.toString());
