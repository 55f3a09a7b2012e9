/*
 * heuristics/exchange.c - Microsoft Exchange, Office 365 and Outlook.com NDRs
 *
 * DESCRIPTION	exchange2003  Exchange 5.5 to 2003 (and their Internet Mail
 *		Service): "Your message did not reach some or all of the
 *		intended recipients." / "did not reach the following
 *		recipient(s):", then per recipient "address on DATE" and
 *		indented reason lines: the wording, an "MSEXCH:..." line with
 *		a MAPI code in parentheses ("(000C05A6)"), or "<host #5.1.1>".
 *		A MAPI code is turned into a status only when no enhanced
 *		code is written.
 *		exchange2007  Exchange 2007 and later, Office 365 and
 *		Outlook.com when they send the NDR as text without a
 *		delivery-status part: a user section ("Delivery has failed to
 *		these recipients or groups:", or the newer "Your message to
 *		ADDRESS couldn't be delivered.") and a section for
 *		administrators ("Generating server: HOST", then each address
 *		with "Remote Server returned '550 5.1.1 ...'" or
 *		"#550 5.1.1 ...##"), up to "Original message headers:".  The
 *		administrators' line is the better diagnostic and wins.
 *		Exchange localises every one of these labels: each is a table
 *		of the languages' wordings, all matched the same way.
 * LIMITS	12 lines and 1 KiB of diagnostic per recipient (text.c).
 * SEE ALSO	appliances.h, text.h
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "heuristics/appliances.h"
#include "heuristics/text.h"

#define DIAG_LINES 12
#define DIAG_MAX 1024

/* ---- Exchange 2003 and earlier ------------------------------------------ */

static const char *const ex2003_start[] = {
	"did not reach the following recipient(s):",
	"The following recipient(s) could not be reached:",
	"Folgende Empfänger konnten nicht erreicht werden:",
	"Les destinataires suivants sont injoignables",
	"No se ha podido llegar a los siguientes destinatarios:",
	"Impossibile raggiungere i seguenti destinatari:",
	"Não foi possível entregar a mensagem aos seguintes destinatários:",
	"De volgende ontvanger(s) kan/kunnen niet worden bereikt:",
	"次の受信者に届きませんでした:",
	NULL
};
static const char *const ex2003_end[] = {
	"Original message headers",
	"Received: ",
	NULL
};

/* MAPI codes of the "MSEXCH:" lines that say one thing only. */
static const BounceApplPhrase ex2003_mapi[] = {
	{ "(000C05A6)", "5.1.1" },	/* unknown recipient */
	{ "(000C0595)", "5.1.4" },	/* ambiguous recipient */
	{ "(00120270)", "5.4.6" },	/* too many hops: a loop */
	{ "(00050311)", "5.6.0" },	/* conversion to Internet format failed */
	{ "(000502CC)", "5.6.0" },
	{ "(00010256)", "5.5.3" },	/* too many recipients */
	{ NULL, NULL }
};
/* Exchange's own fixed wordings. */
static const BounceApplPhrase ex2003_phrases[] = {
	{ "The recipient name is not recognized", "5.1.1" },
	{ "Der Empfängername wurde nicht erkannt", "5.1.1" },
	{ "Le nom du destinataire n'est pas reconnu", "5.1.1" },
	{ "No se reconoce el nombre del destinatario", "5.1.1" },
	{ NULL, NULL }
};

static gboolean
skip_line (const char *line, gsize n)
{
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	/* the X.400 trace: "The MTS-ID of the original message is: c=..;a=.." and its wrapped tail */
	return n == 0 || *line == ';' || bounce_text_find (line, n, "MTS-ID") != NULL;
}

gboolean
bounce_detect_exchange2003 (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit = bounce_text_find_first (text, len, ex2003_start);
	const char *start;
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed */
	g_autoptr(GString) diag = g_string_new (NULL);
	guint lines = 0;
	gsize indent = 0;	/* of the current recipient's line */

	if (hit == NULL)
		return FALSE;
	start = memchr (hit, '\n', text + len - hit);
	if (start == NULL)
		return FALSE;
	bounce_lines_init (&it, start + 1, text + len - start - 1);
	while (bounce_lines_next (&it, &line, &n)) {
		g_autofree char *addr = NULL;
		const char *lead = line;

		if (bounce_text_has_any (line, n, ex2003_end))
			break;
		if (skip_line (line, n))
			continue;
		while (lead < line + n && (*lead == ' ' || *lead == '\t'))
			lead++;
		addr = bounce_text_address (line, n, NULL);
		/* "address on DATE" starts a recipient; an address in a reason, indented
		 * below its recipient's line, does not */
		if (addr != NULL && (current == NULL || (gsize) (lead - line) <= indent)) {
			indent = lead - line;
			if (current != NULL && diag->len > 0)
				bounce_set (&current->diagnostic, diag->str);
			g_string_truncate (diag, 0);
			lines = 0;
			current = bounce_report_find_recipient (report, addr);
			if (current == NULL) {
				if (report->recipients->len >= scan->limits->max_recipients)
					break;
				current = bounce_report_add_recipient (report, addr);
			}
			continue;
		}
		if (current == NULL || lines >= DIAG_LINES || diag->len >= DIAG_MAX)
			continue;
		if (diag->len > 0)
			g_string_append_c (diag, ' ');
		g_string_append_len (diag, lead, MIN ((gsize) (line + n - lead), DIAG_MAX));
		lines++;
	}
	if (current != NULL && diag->len > 0)
		bounce_set (&current->diagnostic, diag->str);
	if (report->recipients->len == 0)
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		const char *status = bounce_appl_phrase_status (r->diagnostic, ex2003_mapi);

		if (status == NULL)
			status = bounce_appl_phrase_status (r->diagnostic, ex2003_phrases);
		bounce_appl_default_status (r, status);
		/* an NDR is final, whatever the class of its code ("#4.4.7": expired) */
		bounce_set (&r->action, "failed");
	}
	bounce_appl_decide (report, "exchange2003");
	return TRUE;
}

/* ---- Exchange 2007 and later, Office 365, Outlook.com ------------------- */

/* The user section: the line after which the failed recipients are listed. */
static const char *const ex2007_intro[] = {
	"Delivery has failed to these recipients or groups:",
	"Delivery has failed to these recipients or distribution lists:",
	"Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:",
	"Die Zustellung an folgende Empfänger oder Verteilerlisten ist fehlgeschlagen:",
	"La remise aux destinataires ou groupes suivants a échoué",
	"La remise aux destinataires ou aux listes de distribution suivants a échoué",
	"Error en la entrega a estos destinatarios o grupos:",
	"Error al entregar a estos destinatarios o grupos:",
	"Recapito non riuscito a questi destinatari o gruppi:",
	"Falha na entrega para estes destinatários ou grupos:",
	"Falha na entrega a estes destinatários ou grupos:",
	"De bezorging is mislukt voor de volgende ontvangers of groepen:",
	"Leverans till följande mottagare eller grupper misslyckades:",
	"Levering til disse modtagere eller grupper mislykkedes:",
	"次の受信者またはグループへの配信に失敗しました",
	"传递到这些收件人或组失败",
	"無法傳遞到這些收件者或群組",
	"다음 받는 사람 또는 그룹에게 배달하지 못했습니다",
	NULL
};
/* The newer layout names the recipient on the intro line itself. */
static const char *const ex2007_intro_inline[] = {
	"couldn't be delivered.",
	"couldn’t be delivered.",
	"konnte nicht zugestellt werden",
	"Impossible de remettre",
	"no se pudo entregar",
	"non è stato possibile recapitare",
	"não pôde ser entregue",
	"kan niet worden bezorgd",
	"を配信できませんでした",
	NULL
};
static const char *const ex2007_admin[] = {
	"Diagnostic information for administrators:",
	"Diagnoseinformationen für Administratoren:",
	"Informations de diagnostic pour les administrateurs",
	"Información de diagnóstico para administradores:",
	"Informazioni di diagnostica per gli amministratori:",
	"Informações de diagnóstico para administradores:",
	"Diagnostische gegevens voor beheerders:",
	"Diagnostisk information för administratörer:",
	"Diagnosticeringsoplysninger til administratorer:",
	"管理者向けの診断情報",
	"管理员的诊断信息",
	"系統管理員的診斷資訊",
	"관리자를 위한 진단 정보",
	NULL
};
static const char *const ex2007_server[] = {
	"Generating server:",
	"Generierender Server:",
	"Serveur de génération",
	"Servidor de generación:",
	"Server di generazione:",
	"Servidor de geração:",
	"Genererende server:",
	"Genererande server:",
	"Genererende server:",
	"生成サーバー:",
	"生成服务器:",
	"產生伺服器:",
	"생성 서버:",
	NULL
};
/* Where the returned original begins; also the end of the sections above. */
static const char *const ex2007_original[] = {
	"Original message headers:",
	"Ursprüngliche Nachrichtenkopfzeilen:",
	"En-têtes de message d'origine",
	"En-têtes du message d'origine",
	"Encabezados del mensaje original:",
	"Intestazioni originali del messaggio:",
	"Cabeçalhos da mensagem original:",
	"Oorspronkelijke berichtkoppen:",
	"Ursprungliga meddelandehuvuden:",
	"Oprindelige meddelelsesheadere:",
	"元のメッセージ ヘッダー",
	"原始邮件头",
	"原始郵件標頭",
	"원본 메시지 헤더",
	"Received: from",
	NULL
};

/* First hit of any needle in text[0..len), or NULL; *which gets the needle. */
static const char *
find_any (const char *text, gsize len, const char *const *needles, const char **which)
{
	for (; *needles; needles++) {
		const char *hit = bounce_text_find (text, len, *needles);
		if (hit != NULL) {
			if (which)
				*which = *needles;
			return hit;
		}
	}
	return NULL;
}

/* "Generating server: HOST" (also with the host on the next line). */
static void
read_generating_server (const char *text, gsize len, BounceReport *report)
{
	const char *label = NULL;
	const char *hit = find_any (text, len, ex2007_server, &label);
	const char *p, *end;
	g_autofree char *host = NULL;

	if (hit == NULL)
		return;
	p = hit + strlen (label);
	while (p < text + len && (*p == ' ' || *p == ':' || *p == '\t' || *p == '\n'))
		p++;
	end = p;
	while (end < text + len && (g_ascii_isalnum (*end) || *end == '.' || *end == '-'))
		end++;
	if (end - p < 3 || memchr (p, '.', end - p) == NULL)
		return;
	host = g_ascii_strdown (p, end - p);
	bounce_set (&report->reporting_mta, host);
}

gboolean
bounce_detect_exchange2007 (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *intro;
	const char *admin;
	const char *orig;
	const char *user_start = NULL;
	const char *user_end;
	const char *inline_end = NULL;
	guint max = scan->limits->max_recipients;
	gsize stop;

	/* one pass over the text first: most messages have neither section */
	if (!bounce_text_has_any (text, len, ex2007_intro) && !bounce_text_has_any (text, len, ex2007_admin))
		return FALSE;
	intro = find_any (text, len, ex2007_intro, NULL);
	if (intro != NULL) {
		user_start = memchr (intro, '\n', text + len - intro);
		user_start = user_start ? user_start + 1 : text + len;
	}
	admin = find_any (text, len, ex2007_admin, NULL);
	if (user_start == NULL && (admin != NULL || bounce_scan_header (scan, "X-MS-Exchange-Message-Is-Ndr")) &&
	    (intro = find_any (text, len, ex2007_intro_inline, NULL)) != NULL) {
		/* "Your message to ADDRESS couldn't be delivered.": that line alone */
		gsize n;
		user_start = bounce_appl_line_of (text, intro, &n);
		inline_end = user_start + n;
	}
	if (user_start == NULL && admin == NULL)
		return FALSE;
	orig = find_any (text, len, ex2007_original, NULL);

	/* the user section: the friendly wording */
	if (user_start != NULL) {
		user_end = inline_end ? inline_end : text + len;
		if (admin != NULL && admin > user_start)
			user_end = admin;
		if (orig != NULL && orig > user_start && orig < user_end)
			user_end = orig;
		bounce_text_block_range (user_start, user_end - user_start, report, ex2007_original, max, &stop);
	}
	/* the administrators' section: the SMTP reply, which wins */
	if (admin != NULL) {
		g_autoptr(BounceReport) tmp = bounce_report_new ();
		const char *from = memchr (admin, '\n', text + len - admin);
		const char *to = text + len;

		if (from == NULL)
			from = text + len;
		if (orig != NULL && orig > from)
			to = orig;
		read_generating_server (from, to - from, report);
		bounce_text_block_range (from, to - from, tmp, ex2007_original, max, &stop);
		for (guint i = 0; i < tmp->recipients->len; i++) {
			BounceRecipient *t = g_ptr_array_index (tmp->recipients, i);	/* borrowed */
			BounceRecipient *r = bounce_report_find_recipient (report, t->recipient);	/* borrowed */

			if (r == NULL) {
				/* an admin section with no user section: every address is a recipient */
				if (user_start != NULL && report->recipients->len > 0)
					continue;
				if (report->recipients->len >= max)
					break;
				r = bounce_report_add_recipient (report, t->recipient);
			}
			if (*t->diagnostic != '\0')
				bounce_set (&r->diagnostic, t->diagnostic);
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++)
		bounce_set (&((BounceRecipient *) g_ptr_array_index (report->recipients, i))->action, "failed");
	if (orig != NULL)
		bounce_text_take_original (scan, orig, text + len - orig);
	bounce_appl_decide (report, "exchange2007");
	return TRUE;
}
