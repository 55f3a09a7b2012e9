# contrib/sieve/bounces.sieve - bouncefilter from Sieve (Dovecot Pigeonhole).
#
# Setup (Dovecot 2.3, extprograms plugin):
#   /etc/dovecot/conf.d/90-sieve-extprograms.conf:
#     plugin {
#       sieve_extensions = +vnd.dovecot.filter +vnd.dovecot.pipe
#       sieve_filter_bin_dir = /etc/dovecot/sieve-filter
#       sieve_pipe_bin_dir = /etc/dovecot/sieve-pipe
#       sieve_filter_exec_timeout = 60s
#     }
#   and in 90-sieve.conf: sieve_plugins = sieve_extprograms
#   ln -s /usr/bin/bouncefilter /etc/dovecot/sieve-filter/bouncefilter
#   ln -s /usr/bin/bouncefilter /etc/dovecot/sieve-pipe/bouncefilter
# Programs get no shell; arguments are listed one by one below.  The store
# (/etc/bouncefilter.conf [store] uri=) must be writable by the mail user.
# If bouncefilter fails, "filter" leaves the message unchanged and the
# script goes on, so nothing is lost.
require ["vnd.dovecot.filter", "fileinto", "mailbox", "variables", "envelope"];

if envelope :localpart :matches "to" "*-bounces*" {
	# copy back with X-Bounce-* headers; the VERP address is the envelope recipient
	if envelope :matches "to" "*" {
		set "rcpt" "${1}";
	}
	filter "bouncefilter" ["--filter", "--quiet", "--recipient", "${rcpt}"];

	if header :is "X-Bounce-Hard" "yes" {
		fileinto :create "Bounces.Hard";
		stop;
	}
	if header :is "X-Bounce-Kind" "bounce" {
		fileinto :create "Bounces.Soft";
		stop;
	}
	if header :is "X-Bounce-Kind" "feedback" {
		fileinto :create "Bounces.Complaints";
		stop;
	}
	fileinto :create "Bounces.Other";
	stop;
}

# Or only record, without changing the message (vnd.dovecot.pipe):
#   require "vnd.dovecot.pipe";
#   pipe :try "bouncefilter" ["--quiet"];
