# Schoolgate logoff script (Windows): ends this user's session at this PC's address at once.
# A late logoff never ends the next user's session: the user is named, and only that user's
# session is ended. See logon.ps1 for the set-up.
$ErrorActionPreference = 'Stop'
$Schoolgate = 'https://filter.school.example'
$TokenFile = '\\school.example\NETLOGON\schoolgate.token'

$token = (Get-Content -Raw -Path $TokenFile).Trim()
$user = [uri]::EscapeDataString("$env:USERDOMAIN\$env:USERNAME")
[System.Net.WebRequest]::DefaultWebProxy = New-Object System.Net.WebProxy
try {
  Invoke-RestMethod -Method Delete -Uri "$Schoolgate/api/v1/identity/sessions?user=$user" `
    -Headers @{ Authorization = "Bearer $token" } -TimeoutSec 10 | Out-Null
} catch {
  Write-EventLog -LogName Application -Source 'Application' -EventId 4101 -EntryType Warning `
    -Message "Schoolgate logoff report failed: $($_.Exception.Message)" -ErrorAction SilentlyContinue
}
