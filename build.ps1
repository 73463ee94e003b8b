# Windows/PowerShell front end. Every step is a plain `dotnet` command, mirrored by build.sh for hosts without pwsh.
param([ValidateSet('build','test','bench','run','publish')][string]$Target = 'build', [Parameter(ValueFromRemainingArguments)]$Rest)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
switch ($Target) {
  'build'   { dotnet build MsMano.sln -c Release @Rest }
  'test'    { dotnet test MsMano.sln -c Release @Rest }
  'bench'   { dotnet run --project src/Cli -c Release -- bench @Rest }
  'run'     { dotnet run --project src/Cli -c Release -- @Rest }
  'publish' { dotnet publish src/Cli -c Release -o artifacts/publish @Rest }
}
exit $LASTEXITCODE
