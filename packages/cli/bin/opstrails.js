#!/usr/bin/env node
// Committed entry point: it exists before the first build, so npm can link the `opstrails` binary on install.
import '../dist/bin.js';
