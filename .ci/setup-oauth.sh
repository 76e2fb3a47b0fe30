#!/usr/bin/env bash
# What the OAuth end-to-end tests (tests/Orders.OAuth.Tests) need besides the .NET SDK (Chromium, Node.js
# and the oauth4webapi client): ./test.sh installs every test prerequisite; this runs only that part.
exec "$(dirname "$0")/../test.sh" --prerequisites
