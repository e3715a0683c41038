# Schoolgate logon script (Windows): tells Schoolgate which user is at this PC's address.
# Run it as a Group Policy *user logon* script; run logoff.ps1 as the logoff script.
#
# Set-up (once, by IT):
#   1. java -jar schoolgate.jar accounts add logon-script --roles identity-source
#   2. sign in as logon-script and create an API token:  POST /api/v1/tokens {"name": "gpo logon"}
#   3. put the token in a file the script can read, e.g. \\school.example\NETLOGON\schoolgate.token
# The token can do nothing but report sessions, and a caller outside identity.sessions.reporters
# can only report its own address. Anyone who can read the script can read the token, so a pupil
# could claim to be someone else at their own PC: prefer Kerberos or 802.1X (RADIUS) where you can.
$ErrorActionPreference = 'Stop'
$Schoolgate = 'https://filter.school.example'               # admin.public-url
$TokenFile = '\\school.example\NETLOGON\schoolgate.token'
$Minutes = 600                                               # the logoff script usually ends it sooner

$token = (Get-Content -Raw -Path $TokenFile).Trim()
$body = @{ user = "$env:USERDOMAIN\$env:USERNAME"; minutes = $Minutes } | ConvertTo-Json
# Straight to Schoolgate, never through the proxy (it would see the proxy's address, not this PC's).
[System.Net.WebRequest]::DefaultWebProxy = New-Object System.Net.WebProxy
try {
  Invoke-RestMethod -Method Post -Uri "$Schoolgate/api/v1/identity/sessions" -ContentType 'application/json' `
    -Headers @{ Authorization = "Bearer $token" } -Body $body -TimeoutSec 10 | Out-Null
} catch {
  # Never block the logon; the PC falls back to its subnet's group. Leave a trace for IT.
  Write-EventLog -LogName Application -Source 'Application' -EventId 4100 -EntryType Warning `
    -Message "Schoolgate logon report failed: $($_.Exception.Message)" -ErrorAction SilentlyContinue
}
