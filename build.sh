#!/usr/bin/env bash
# dotnet-only equivalent of build.ps1: ./build.sh [build|test|bench|run|publish] [extra dotnet args]
set -euo pipefail
cd "$(dirname "$0")"
target=${1:-build}; shift || true
case "$target" in
  build)   dotnet build MsMano.sln -c Release "$@" ;;
  test)    dotnet test MsMano.sln -c Release "$@" ;;
  bench)   dotnet run --project src/Cli -c Release -- bench "$@" ;;
  run)     dotnet run --project src/Cli -c Release -- "$@" ;;
  publish) dotnet publish src/Cli -c Release -o artifacts/publish "$@" ;;
  *) echo "usage: $0 [build|test|bench|run|publish]" >&2; exit 2 ;;
esac
