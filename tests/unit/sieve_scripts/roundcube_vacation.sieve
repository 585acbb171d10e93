require ["date","relational","vacation","fileinto"];
# rule:[Urlaub]
if allof (currentdate :zone "+0100" :value "ge" "iso8601" "2026-12-20T00:00:00+01:00", currentdate :zone "+0100" :value "le" "iso8601" "2027-01-06T23:59:59+01:00")
{
	vacation :days 1 :subject "Urlaub" :from "anna@example.org" "Ich bin bis zum 6. Januar nicht da.";
}
# rule:[Rechnungen]
if header :contains "subject" "Rechnung"
{
	fileinto "Rechnungen";
}
