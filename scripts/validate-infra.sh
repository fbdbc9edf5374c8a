#!/usr/bin/env bash
# Compiles and lints infra/ with the Bicep compiler restored from NuGet.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dotnet restore "$REPO_ROOT/infra/Infra.Validation.csproj" --verbosity quiet
bicep="$(dotnet msbuild "$REPO_ROOT/infra/Infra.Validation.csproj" -t:PrintBicepPath -nologo -v:m | tail -n 1 | xargs)"
chmod +x "$bicep"
"$bicep" build "$REPO_ROOT/infra/main.bicep" --stdout >/dev/null
"$bicep" lint "$REPO_ROOT/infra/main.bicep"
echo "infra ok: main.bicep builds and lints clean"
