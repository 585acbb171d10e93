require ["fileinto","reject","envelope","vacation","imap4flags"];
# rule:[junk]
if anyof (header :contains "X-Spam-Flag" "YES")
{
	fileinto "Junk";
	stop;
}
# rule:[boss]
if anyof (header :comparator "i;ascii-casemap" :contains ["From","Sender"] "chef@firma.example")
{
	addflag "\\Flagged";
	fileinto "Chef";
	stop;
}
# rule:[tests]
if anyof (not header :comparator "i;octet" :contains ["Subject"] "[ci]", header :contains "Subject" "[build]")
{
	fileinto "CI";
	stop;
}
# rule:[annotated]
if anyof (true) /* a block comment
 * with "quotes" #and a hash */ {
    /* keep going */ stop;
# trailing comment inside
}
# rule:[too big]
if size :over 5000K {
	reject "Message over 5MB. Please send a link instead.";
}
# rule:[old sizes]
if false # size :over 2000K
{
	fileinto "Large";
}
# rule:[everything]
if true
{
	keep;
}
fileinto "Archive";
# rule:[monitoring]
if address :all :is "From" "nagios@ops.example"
{
	fileinto "Monitoring";
	stop;
}
# rule:[envelope]
if envelope :domain :is "From" "ops.example"
{
	fileinto "Ops";
	stop;
}
# rule:[away]
if header :contains "Subject" "holiday"
{
	vacation :days 1 text:
# not a comment
Back on Monday.
..
..dots stay
.
;
	stop;
}
