// n8n finds the nodes and the credential through the "n8n" section of package.json;
// this entry lets the package be required as a whole.
module.exports = {};
