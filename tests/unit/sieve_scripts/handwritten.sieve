# ~/.dovecot.sieve -- by hand, do not let tools eat my comments
require ["fileinto", "variables", "envelope", "subaddress", "mailbox", "body", "spamtest"];

# plus-addressing: user+folder@ -> folder
if envelope :detail :matches "to" "*" {
    set :lower "folder" "${1}";
    fileinto :create "Plus/${folder}";   # auto-create
    stop;
}

/* spam first */
if spamtest :percent :value "ge" :comparator "i;ascii-numeric" "80" {
    fileinto "Junk";
    stop;
}

# Lists I read
if header :is "list-id" "<dev.lists.example.org>" {
    fileinto "Lists/Dev";
}

# Bücher orders (UTF-8 folder)
if allof (address :domain :is "from" "buchladen.example",
          body :text :contains "Bestellung") {
    fileinto :create "Bücher";
}

# nested: keep for myself
if header :contains "subject" "[me]" {
    if size :under 10K { setflag "\\Seen"; }
    keep;
}
# end
