/* Thunderbird Sieve add-on: written in its script editor */
require ["fileinto", "imap4flags", "copy", "regex"];

# Newsletters
if header :matches "List-Id" "*<news.*.example>*" {
    fileinto :copy "Newsletters";
    setflag "\\Seen";
}

# Family, then colleagues
if address :is "from" ["mum@home.example", "dad@home.example"] {
    fileinto "Family";
} elsif address :domain :is "from" "firma.example" {
    fileinto "Work";
} else {
    keep;
}

# Invoices
if header :regex "subject" "^(Invoice|Rechnung) [0-9]+" {
    fileinto "Finanzen/Rechnungen";
    addflag "$Invoice";
}

# End of script
