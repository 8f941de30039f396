"""What people read, in the plan's language: one catalog per locale.

``say(locale, key, **params)`` formats a message; an unknown locale falls back
to Spanish, the language of the first process cocrea serves.
"""

from __future__ import annotations

from typing import Any

ES: dict[str, str] = {
    # unmet conditions (guards)
    "guard.decision_approved": "la decisión «{title}» no está aprobada ({tally})",
    "guard.activities_done": "faltan actividades por completar: {missing}",
    "guard.phase_open": "la fase «{title}» no está abierta (está {status})",
    "guard.phase_closed": "la fase «{title}» no está cerrada (está {status})",
    "guard.proposals_in_states": (
        "{count} propuesta(s) no están en {states}: {examples}"
    ),
    "guard.committee_size": (
        "el comité tiene {members} miembro(s); se necesitan al menos {min_members}"
        " y {per_group} por grupo ({short})"
    ),
    "guard.actor_role": "el rol «{role}» no puede hacer esto; se necesita: {roles}",
    "guard.field_given": "falta «{field}» con al menos {min_length} caracteres",
    # statuses and words
    "status.scheduled": "programada",
    "status.open": "abierta",
    "status.overdue": "vencida",
    "status.waiting": "en espera",
    "status.closed": "cerrada",
    "decision.open": "en votación",
    "decision.approved": "aprobada",
    "decision.rejected": "rechazada",
    "tally": (
        "{approvals} a favor, {rejections} en contra de"
        " {voters} con voto; se necesitan {needed}"
    ),
    "none": "ninguno",
    # errors
    "error.guard_failed": "no se puede {action}: {unmet}",
    "error.invalid_trigger": (
        "«{trigger}» no es posible en el estado «{state}»; disparadores posibles: {allowed}"
    ),
    "error.unknown_trigger": (
        "el disparador «{trigger}» no existe;"
        " disparadores declarados: {declared}"
    ),
    "error.not_found": "no existe {what} «{key}»",
    "error.already_exists": "ya existe {what} «{key}»",
    "error.concurrency": (
        "{stream} cambió mientras se procesaba la orden (versión esperada {expected},"
        " actual {actual}); vuelva a intentarlo"
    ),
    "error.field": "campo «{field}»: {problem}",
    "error.vote_closed": "la decisión «{title}» ya fue aprobada; no admite más votos",
    "error.activity_done": "la actividad «{title}» ya está completada",
    "error.group_full": "el grupo «{group}» ya tiene sus {seats} miembros",
    "error.database": "error de base de datos: {detail}",
    "error.no_database": "no existe la base de datos {path}",
    "error.schema_behind": (
        "el esquema de la base de datos ({current}) es anterior al de esta versión de cocrea"
        " ({head}); actualícelo con «cocrea db upgrade»"
    ),
    "audit.missing": (
        "falta el evento #{position}: en su lugar viene el"
        " #{found} (borrado o reordenado)"
    ),
    "audit.hash": "el evento #{position} ({type} de {stream}) fue alterado: su hash no encadena",
    "audit.illegal": "el evento #{position} ({type}) no es un paso legal: {detail}",
    "audit.head": "la cabeza del registro dice #{head} pero el último evento es #{last} (truncado)",
    "audit.digest": "el registro ya no contiene la cabeza #{position} del resumen guardado",
    "audit.extra": "la proyección tiene «{stream}», que no existe en el registro",
    # deadline audit: every deadline row derived from the log alone (hard-verify)
    "audit.deadline_extra": (
        "el plazo «{deadline}» (plan «{plan}», fase «{phase}») no lo programó ningún evento"
        " del registro"
    ),
    "audit.deadline_moved": (
        "el plazo «{deadline}» (plan «{plan}», fase «{phase}») no tiene el momento que"
        " programó el registro"
    ),
    "audit.deadline_status": (
        "el plazo «{deadline}» (plan «{plan}», fase «{phase}») figura como {row} pero según"
        " el registro está {expected}"
    ),
    "audit.deadline_row": "«{status}»",
    "audit.deadline_row_outcome": "«{status}» (resultado «{outcome}»)",
    "audit.deadline_fired": (
        "el plazo «{deadline}» (plan «{plan}», fase «{phase}») figura disparado el «{fired_at}»"
        " por «{fired_by}» pero el registro lo disparó el {expected}"
    ),
    "audit.deadline_unfired": (
        "el plazo «{deadline}» (plan «{plan}», fase «{phase}») figura disparado el «{fired_at}»"
        " por «{fired_by}» pero según el registro está «{status}»"
    ),
    "audit.deadline_missing": (
        "falta el plazo «{deadline}» (plan «{plan}», fase «{phase}»), que el registro programó"
    ),
    "reason.skip_not_scheduled": "la fase ya no está programada (está {status})",
    "reason.skip_not_open": "la fase no está abierta (está {status})",
    "reason.skip_after_close": "llega después del cierre previsto de la fase",
    "timeline.DeadlineSkipped": "Plazo sin efecto de la fase «{phase}», {kind}: {reason}",
    "outcome.DeadlineSkipped": "(sin efecto: la fase no estaba en el estado sobre el que actúa)",
    # end of deadline audit
    "audit.projection": (
        "la proyección de «{stream}» no coincide con la"
        " reproducción tras el evento #{position}"
    ),
    "what.plan": "el plan",
    "what.phase": "la fase",
    "what.decision": "la decisión",
    "what.activity": "la actividad",
    "what.member": "el miembro",
    "what.group": "el grupo",
    "what.proposal": "la propuesta",
    "what.channel": "el canal",
    "what.definition": "la definición",
    "action.open": "abrir la fase «{title}»",
    "action.close": "cerrar la fase «{title}»",
    "action.extend": "prorrogar la fase «{title}»",
    "action.submit": "recibir la propuesta",
    "action.activity": "completar la actividad «{title}»",
    "action.fire": "{title}",
    "field.required": "es obligatorio",
    "field.not_declared": "el disparador «{trigger}» no admite este campo",
    "field.mesa_range": "debe ser un número de mesa entre 1 y {mesas}",
    "field.mesa_unexpected": "el canal «{channel}» no tiene mesas",
    "field.self_merge": "una propuesta no puede fusionarse consigo misma",
    "field.other_plan": "la propuesta «{key}» es de otro plan",
    "field.blank": "no puede estar vacío",
    "field.email": "«{value}» no es una dirección de correo (nombre@dominio)",
    "field.consent_without_email": "para consentir los avisos hace falta un correo (email)",
    "field.plan_id": "debe tener solo minúsculas, cifras y guiones (máximo 64)",
    "field.not_voter": "«{member}» no vota en esta decisión (votan los grupos: {groups})",
    "field.until_before": "la nueva fecha ({until}) no es posterior al cierre actual ({ends})",
    "field.until_past": "la nueva fecha ({until}) ya terminó",
    "reason.opening_day": "apertura programada: llegó su primer día",
    "reason.held": "llegó su primer día, pero no se cumplen las condiciones para abrirla",
    "reason.conditions_met": "se cumplieron las condiciones para abrirla",
    "reason.closing_day": "cierre programado: terminó su último día",
    "reason.overdue": (
        "terminó su último día sin cumplir las condiciones de cierre; el equipo técnico"
        " debe cerrarla o prorrogarla"
    ),
    "reason.overdue_closes": (
        "terminó su último día sin cumplir las condiciones de cierre; se cerrará sola"
        " cuando se cumplan"
    ),
    "reason.closed_when_met": "vencida, se cierra al cumplirse sus condiciones de cierre",
    # command line
    "cli.plan_created": (
        "Plan «{plan}» creado con la definición {definition} v{version}"
        " (sha256 {hash}); la primera fase empieza el {first}."
    ),
    "cli.plan_head": "Plan «{plan}»: {title}",
    "cli.plan_meta": (
        "Definición {definition} v{version} (sha256 {hash}), zona {timezone},"
        " versión del plan {plan_version}"
    ),
    "cli.phases": "Fases",
    "cli.decisions": "Decisiones del comité",
    "cli.committee": "Comité ({count} miembros)",
    "cli.activities": "Actividades: {done} de {total} completadas",
    "cli.proposals": "Propuestas: {total}",
    "cli.opened": "abierta {at}",
    "cli.closed": "cerrada {at}",
    "cli.no_plans": "No hay planes.",
    "cli.no_proposals": "No hay propuestas.",
    "cli.phase_opened": "Fase «{phase}» abierta.",
    "cli.phase_closed": "Fase «{phase}» cerrada.",
    "cli.phase_extended": "Fase «{phase}» prorrogada hasta el {until}.",
    "cli.member_added": "Miembro «{member}» ({name}) añadido al grupo «{group}».",
    "cli.vote_cast": "Voto de «{member}» registrado en «{decision}»: {tally}.",
    "cli.decision_passed": "La decisión «{decision}» queda aprobada.",
    "cli.activity_done": "Actividad «{activity}» completada.",
    "cli.proposal_submitted": "Propuesta «{proposal}» recibida por el canal «{channel}».",
    "cli.proposal_fired": "Propuesta «{proposal}»: {trigger} → {state}.",
    "cli.as_of": "Estado a {moment}",
    "cli.verified": (
        "Verificado: {events} eventos en cadena, {plans} plan(es) y {proposals} propuesta(s)"
        " reproducidos sin pasos ilegales; proyecciones iguales a la reproducción;"
        " cabeza #{position} {hash}."
    ),
    "cli.verify_failed": "La verificación falló en el evento #{position}: {message}",
    "cli.digest": "Cabeza del registro: posición {position}, hash {hash}",
    "cli.definition_ok": "Definición válida: {source}",
    "timeline.PlanCreated": "Se crea el plan según «{title}»",
    "timeline.PhaseOpened": "Se abre la fase «{phase}»: {reason}",
    "timeline.PhaseHeld": "La fase «{phase}» espera para abrir: {unmet}",
    "timeline.PhaseClosed": "Se cierra la fase «{phase}»: {reason}",
    "timeline.PhaseOverdue": "La fase «{phase}» queda vencida: {unmet}",
    "timeline.PhaseClosingSoon": "Aviso: la fase «{phase}» cierra en {days} día(s)",
    "timeline.PhaseExtended": "Prórroga de la fase «{phase}» hasta el {until}: {reason}",
    "timeline.MemberAdded": "{name} se incorpora al comité ({group})",
    "timeline.VoteCast": "{member} vota {sense} de «{decision}»",
    "timeline.DecisionApproved": (
        "Aprobada «{decision}»: {approvals} votos a favor de {voters}; se necesitaban {needed}"
    ),
    "timeline.ActivityDone": "Actividad cumplida: «{activity}»",
    "timeline.ProposalSubmitted": "Propuesta n.º {number} recibida ({channel}): «{title}»",
    "timeline.ProposalTransitioned": "Propuesta n.º {number}: {trigger} → {state}",
    "vote.for": "a favor",
    "vote.against": "en contra",
    "sim.step_failed": "el paso no se pudo dar: {error}",
    "sim.heading": "Simulación: {title}",
    "sim.timeline": "Cronología (hora local, {timezone})",
    "sim.phases": "Fases (apertura y cierre reales, hora local)",
    "sim.phase": (
        "  {number}. {title}: previsto {starts} → {ends}; abrió {opened_at}, cerró {closed_at}"
        "{marks}"
    ),
    "sim.waited": "abrió tarde: esperó sus condiciones",
    "sim.overdue": "vencida",
    "sim.extended": "prorrogada hasta el {until}",
    "sim.channel": "  {channel}: {states} (antes de la respuesta: {outcomes})",
    "sim.proposals": "Propuestas: {total}, por canal y estado final",
    "sim.decisions": "Decisiones del Comité Impulsor",
    "sim.decision": "  {title}: {when} ({votes_for} a favor, {against} en contra)",
    "sim.database": "Base de datos de la simulación: {url}",
    "sim.notices": "Avisos en la bandeja de salida: {count}",
    "sim.notice_pending": "{count} pendiente(s)",
    "sim.notice_sending": "{count} en envío",
    "sim.notice_delivered": "{count} entregado(s)",
    "sim.notice_dead": "{count} aparcado(s)",
    "sim.notice_cancelled": "{count} anulado(s)",
    "sim.channel_email": "correo",
    "sim.channel_webhook": "webhook",
    "sim.channel_log": "registro",
    "sim.channel_off_email": " (canal no configurado: ver COCREA_SMTP_HOST)",
    "sim.channel_off_webhook": " (canal no configurado: ver COCREA_WEBHOOK_SECRET)",
    "sim.deadlines": "Plazos disparados: {count}",
    "cli.no_scenario": (
        "no hay un escenario incluido para «{definition}»; indique uno con --scenario"
    ),
    "cli.scenario_mismatch": (
        "el escenario es para la definición «{scenario}», no para «{definition}»"
    ),
    "problem.no-encontrado": "No encontrado",
    "problem.disparador-desconocido": "Disparador desconocido",
    "problem.transicion-no-permitida": "Transición no permitida en el estado actual",
    "problem.condiciones-no-cumplidas": "Condiciones no cumplidas",
    "problem.ya-existe": "Ya existe",
    "problem.version-obsoleta": "Versión obsoleta",
    "problem.dato-no-valido": "Dato no válido",
    "problem.definicion-no-valida": "Definición no válida",
    "problem.base-de-datos": "Base de datos no disponible",
    "problem.peticion-no-valida": "Petición no válida",
    "problem.error-interno": "Error interno",
    "problem.no-autenticado": "Falta un token válido",
    "problem.sin-permiso": "Sin permiso",
    "problem.no-existe-ruta": "Recurso inexistente",
    "problem.metodo-no-permitido": "Método no permitido",
    "problem.clave-en-uso": "Clave de idempotencia en uso",
    "problem.clave-reutilizada": "Clave de idempotencia reutilizada",
    "problem.fields": "revise estos campos: {fields}",
    "problem.internal": "error interno; quedó registrado",
    "problem.unauthenticated": (
        "esta operación necesita un token (cabecera Authorization: Bearer …)"
    ),
    "problem.bad_token": "el token no es válido o fue revocado",
    "problem.forbidden": "el rol «{role}» no puede hacer esto; se necesita: {roles}",
    "problem.own_member": "un token del comité solo vota como su propio miembro ({member})",
    "problem.key_in_use": "otra petición con esta Idempotency-Key sigue en curso; reintente",
    "problem.key_reused": "esta Idempotency-Key ya se usó con otra petición",
    "problem.answer_lost": (
        "la primera petición con esta Idempotency-Key se registró pero su respuesta se perdió;"
        " consulte el recurso para ver el resultado"
    ),
    "problem.respuesta-perdida": "Respuesta perdida",
    "problem.no_route": "no existe {path}",
    "problem.method": "{method} no está permitido en {path}",
    "problem.if_match": "If-Match debe ser la versión (un número) entre comillas, p. ej. \"7\"",
    # hardening the API: texts, bodies, the server's own errors
    "field.control": "contiene un carácter no admitido ({code}, en la posición {position})",
    "problem.cuerpo-demasiado-grande": "Cuerpo demasiado grande",
    "problem.too_large": "el cuerpo de la petición supera el límite de {limit} bytes",
    "problem.codificacion-no-admitida": "Codificación no admitida",
    "problem.not_utf8": "el cuerpo de la petición debe estar en UTF-8 (RFC 8259, §8.1)",
    "cli.bad_date": "«{value}» no es una fecha ISO (AAAA-MM-DD)",
    "cli.deadlines_fired": "Plazos disparados: {count}",
    "cli.workers_need_postgresql": (
        "--workers mayor que 1 necesita PostgreSQL (--db postgresql+psycopg://…)"
    ),
    "cli.notify_pass": "Entregadas: {delivered}; a reintentar: {retried}; aparcadas: {dead}",
    "cli.notify_line": "{id}  {status}  {channel} → {to}  (intentos: {attempts}) {error}",
    "cli.notify_none": "No hay mensajes.",
    "cli.member_or_proposal": "indique --member o --proposal (uno de los dos)",
    "cli.no_contact": "no hay correo guardado de «{subject}»",
    "cli.contact_forgotten": "Correo de «{subject}» borrado; mensajes anulados: {cancelled}",
    "error.setting": "la variable {name} no es válida: «{value}» (se espera {expected})",
    "cli.notify_revived": "Mensajes devueltos a la cola: {count}",
    "cli.bad_role": "rol «{role}» desconocido; roles: {roles}",
    "cli.member_needed": "un token del comité necesita --member (el id del miembro)",
    "cli.token_created": (
        "Token {id} ({role}) creado. Guárdelo ahora: no se volverá a mostrar.\n{token}"
    ),
    "cli.no_token": "no hay un token vigente con id «{id}»",
    "cli.token_revoked": "Token {id} revocado.",
    "cli.scheduler_started": (
        "Planificador en marcha (plazos vencidos disparados; consulta cada {poll} s)."
        " Ctrl+C para detenerlo."
    ),
    "cli.scheduler_stopped": "Planificador detenido.",
    "cli.deadline_line": "{due}  {phase}: {kind} — {status}{outcome}",
    "deadline.open": "apertura",
    "deadline.close": "cierre",
    "deadline.remind": "recordatorio ({days} días antes del cierre)",
    "deadline_status.pending": "pendiente",
    "deadline_status.fired": "disparado",
    "deadline_status.cancelled": "anulado",
    "outcome.PhaseOpened": "(la fase abrió)",
    "outcome.PhaseHeld": "(la fase espera sus condiciones)",
    "outcome.PhaseClosed": "(la fase cerró)",
    "outcome.PhaseOverdue": "(la fase quedó vencida)",
    "outcome.PhaseClosingSoon": "(aviso de cierre)",
    "cli.bad_moment": "«{value}» no es una fecha u hora ISO 8601",
    "cli.bad_digest": "el archivo de resumen {path} no es válido: {detail}",
    "cli.approve_or_reject": "indique --approve o --reject",
    "cli.db_upgraded": "Esquema de la base de datos al día (migración {revision}).",
    "cli.internal_error": (
        "error interno de cocrea (no es un error suyo): {error}. El detalle quedó en {path};"
        " por favor, repórtelo"
    ),
    # dates out of range, and a database that may lose what it acknowledged (hardening)
    "field.out_of_range": "«{value}» está fuera de las fechas que se admiten: de {first} a {last}",
    "field.shift_past_last": (
        "el plan dura {days} días: si empieza el {shift_to} termina después del {last},"
        " la última fecha que se admite"
    ),
    "cli.durability_at_risk": (
        "ATENCIÓN: PostgreSQL funciona con {settings}: una escritura ya confirmada puede"
        " perderse si el servidor o la máquina caen. Active fsync y synchronous_commit"
        " en producción."
    ),
}

EN: dict[str, str] = {
    "guard.decision_approved": "the decision “{title}” is not approved ({tally})",
    "guard.activities_done": "activities still to be done: {missing}",
    "guard.phase_open": "the phase “{title}” is not open (it is {status})",
    "guard.phase_closed": "the phase “{title}” is not closed (it is {status})",
    "guard.proposals_in_states": "{count} proposal(s) are not in {states}: {examples}",
    "guard.committee_size": (
        "the committee has {members} member(s); it needs at least {min_members}"
        " and {per_group} per group ({short})"
    ),
    "guard.actor_role": "the role “{role}” may not do this; it needs: {roles}",
    "guard.field_given": "“{field}” is missing or shorter than {min_length} characters",
    "status.scheduled": "scheduled",
    "status.open": "open",
    "status.overdue": "overdue",
    "status.waiting": "waiting",
    "status.closed": "closed",
    "decision.open": "voting",
    "decision.approved": "approved",
    "decision.rejected": "rejected",
    "tally": "{approvals} for, {rejections} against, of {voters} voters; {needed} needed",
    "none": "none",
    "error.guard_failed": "cannot {action}: {unmet}",
    "error.invalid_trigger": (
        "“{trigger}” is not possible in state “{state}”; possible triggers: {allowed}"
    ),
    "error.unknown_trigger": "there is no trigger “{trigger}”; declared triggers: {declared}",
    "error.not_found": "there is no {what} “{key}”",
    "error.already_exists": "{what} “{key}” already exists",
    "error.concurrency": (
        "{stream} changed while the command ran (expected version {expected},"
        " found {actual}); try again"
    ),
    "error.field": "field “{field}”: {problem}",
    "error.vote_closed": "the decision “{title}” has passed; it takes no more votes",
    "error.activity_done": "the activity “{title}” is already done",
    "error.group_full": "the group “{group}” already has its {seats} members",
    "error.database": "database error: {detail}",
    "error.no_database": "there is no database {path}",
    "error.schema_behind": (
        "the database's schema ({current}) is older than this cocrea's ({head});"
        " bring it up to date with “cocrea db upgrade”"
    ),
    "audit.missing": (
        "event #{position} is missing: #{found} stands in its place (deleted or reordered)"
    ),
    "audit.hash": "event #{position} ({type} of {stream}) was altered: its hash does not chain",
    "audit.illegal": "event #{position} ({type}) is not a legal step: {detail}",
    # deadline audit: every deadline row derived from the log alone (hard-verify)
    "audit.deadline_extra": (
        "the deadline “{deadline}” (plan “{plan}”, phase “{phase}”) was scheduled by no event"
        " of the log"
    ),
    "audit.deadline_moved": (
        "the deadline “{deadline}” (plan “{plan}”, phase “{phase}”) is not at the moment the"
        " log scheduled"
    ),
    "audit.deadline_status": (
        "the deadline “{deadline}” (plan “{plan}”, phase “{phase}”) is {row} but the log"
        " says it is {expected}"
    ),
    "audit.deadline_row": "“{status}”",
    "audit.deadline_row_outcome": "“{status}” (outcome “{outcome}”)",
    "audit.deadline_fired": (
        "the deadline “{deadline}” (plan “{plan}”, phase “{phase}”) says it fired at"
        " “{fired_at}” by “{fired_by}” but the log fired it at {expected}"
    ),
    "audit.deadline_unfired": (
        "the deadline “{deadline}” (plan “{plan}”, phase “{phase}”) says it fired at"
        " “{fired_at}” by “{fired_by}” but the log says it is “{status}”"
    ),
    "audit.deadline_missing": (
        "the deadline “{deadline}” (plan “{plan}”, phase “{phase}”), which the log scheduled,"
        " is missing"
    ),
    "reason.skip_not_scheduled": "the phase is no longer scheduled (it is {status})",
    "reason.skip_not_open": "the phase is not open (it is {status})",
    "reason.skip_after_close": "it comes after the phase's planned close",
    "timeline.DeadlineSkipped": (
        "Deadline with no effect for the phase “{phase}”, {kind}: {reason}"
    ),
    "outcome.DeadlineSkipped": "(no effect: the phase was not in the state it acts on)",
    # end of deadline audit
    "audit.head": "the log's head says #{head} but the last event is #{last} (truncated)",
    "audit.digest": "the log no longer holds head #{position} of the kept digest",
    "audit.extra": "the projection has “{stream}”, which the log does not",
    "audit.projection": (
        "the projection of “{stream}” does not equal the"
        " replay after event #{position}"
    ),
    "what.plan": "plan",
    "what.phase": "phase",
    "what.decision": "decision",
    "what.activity": "activity",
    "what.member": "member",
    "what.group": "group",
    "what.proposal": "proposal",
    "what.channel": "channel",
    "what.definition": "definition",
    "action.open": "open the phase “{title}”",
    "action.close": "close the phase “{title}”",
    "action.extend": "extend the phase “{title}”",
    "action.submit": "receive the proposal",
    "action.activity": "complete the activity “{title}”",
    "action.fire": "{title}",
    "field.required": "is required",
    "field.not_declared": "the trigger “{trigger}” does not take this field",
    "field.mesa_range": "must be a mesa number from 1 to {mesas}",
    "field.mesa_unexpected": "the channel “{channel}” has no mesas",
    "field.self_merge": "a proposal cannot be merged into itself",
    "field.other_plan": "the proposal “{key}” belongs to another plan",
    "field.blank": "must not be blank",
    "field.email": "“{value}” is not an email address (name@domain)",
    "field.consent_without_email": "consenting to be told needs an email address",
    "field.plan_id": "must have only lowercase letters, digits and dashes (64 at most)",
    "field.not_voter": "“{member}” does not vote on this decision (voting groups: {groups})",
    "field.until_before": "the new date ({until}) is not after the current end ({ends})",
    "field.until_past": "the new date ({until}) has already ended",
    "reason.opening_day": "scheduled opening: its first day has come",
    "reason.held": "its first day has come, but the conditions to open it are unmet",
    "reason.conditions_met": "the conditions to open it are now met",
    "reason.closing_day": "scheduled close: its last day has ended",
    "reason.overdue": (
        "its last day ended with its closing conditions unmet; staff must close or extend it"
    ),
    "reason.overdue_closes": (
        "its last day ended with its closing conditions unmet; it will close by itself"
        " once they are met"
    ),
    "reason.closed_when_met": "overdue, closed as its closing conditions are met",
    "cli.plan_created": (
        "Plan “{plan}” created from definition {definition} v{version}"
        " (sha256 {hash}); the first phase starts on {first}."
    ),
    "cli.plan_head": "Plan “{plan}”: {title}",
    "cli.plan_meta": (
        "Definition {definition} v{version} (sha256 {hash}), zone {timezone},"
        " plan version {plan_version}"
    ),
    "cli.phases": "Phases",
    "cli.decisions": "Committee decisions",
    "cli.committee": "Committee ({count} members)",
    "cli.activities": "Activities: {done} of {total} done",
    "cli.proposals": "Proposals: {total}",
    "cli.opened": "opened {at}",
    "cli.closed": "closed {at}",
    "cli.no_plans": "No plans.",
    "cli.no_proposals": "No proposals.",
    "cli.phase_opened": "Phase “{phase}” opened.",
    "cli.phase_closed": "Phase “{phase}” closed.",
    "cli.phase_extended": "Phase “{phase}” extended to {until}.",
    "cli.member_added": "Member “{member}” ({name}) added to group “{group}”.",
    "cli.vote_cast": "Vote of “{member}” recorded on “{decision}”: {tally}.",
    "cli.decision_passed": "The decision “{decision}” has passed.",
    "cli.activity_done": "Activity “{activity}” done.",
    "cli.proposal_submitted": "Proposal “{proposal}” received through “{channel}”.",
    "cli.proposal_fired": "Proposal “{proposal}”: {trigger} → {state}.",
    "cli.as_of": "State as of {moment}",
    "cli.verified": (
        "Verified: {events} chained events, {plans} plan(s) and {proposals} proposal(s)"
        " replayed with no illegal step; projections equal the replay;"
        " head #{position} {hash}."
    ),
    "cli.verify_failed": "Verification failed at event #{position}: {message}",
    "cli.digest": "Log head: position {position}, hash {hash}",
    "cli.definition_ok": "Valid definition: {source}",
    "timeline.PlanCreated": "The plan is created from “{title}”",
    "timeline.PhaseOpened": "The phase “{phase}” opens: {reason}",
    "timeline.PhaseHeld": "The phase “{phase}” waits to open: {unmet}",
    "timeline.PhaseClosed": "The phase “{phase}” closes: {reason}",
    "timeline.PhaseOverdue": "The phase “{phase}” is overdue: {unmet}",
    "timeline.PhaseClosingSoon": "Reminder: the phase “{phase}” closes in {days} day(s)",
    "timeline.PhaseExtended": "The phase “{phase}” is extended to {until}: {reason}",
    "timeline.MemberAdded": "{name} joins the committee ({group})",
    "timeline.VoteCast": "{member} votes {sense} “{decision}”",
    "timeline.DecisionApproved": (
        "Approved “{decision}”: {approvals} votes for, of {voters}; {needed} needed"
    ),
    "timeline.ActivityDone": "Activity done: “{activity}”",
    "timeline.ProposalSubmitted": "Proposal no. {number} received ({channel}): “{title}”",
    "timeline.ProposalTransitioned": "Proposal no. {number}: {trigger} → {state}",
    "vote.for": "for",
    "vote.against": "against",
    "sim.step_failed": "the step could not be taken: {error}",
    "sim.heading": "Simulation: {title}",
    "sim.timeline": "Timeline (local time, {timezone})",
    "sim.phases": "Phases (real opening and close, local time)",
    "sim.phase": (
        "  {number}. {title}: planned {starts} → {ends}; opened {opened_at}, closed {closed_at}"
        "{marks}"
    ),
    "sim.waited": "opened late: waited for its conditions",
    "sim.overdue": "overdue",
    "sim.extended": "extended to {until}",
    "sim.channel": "  {channel}: {states} (before the answer: {outcomes})",
    "sim.proposals": "Proposals: {total}, by channel and final state",
    "sim.decisions": "Committee decisions",
    "sim.decision": "  {title}: {when} ({votes_for} for, {against} against)",
    "sim.database": "Simulation database: {url}",
    "sim.notices": "Notices in the outbox: {count}",
    "sim.notice_pending": "{count} pending",
    "sim.notice_sending": "{count} being sent",
    "sim.notice_delivered": "{count} delivered",
    "sim.notice_dead": "{count} parked",
    "sim.notice_cancelled": "{count} cancelled",
    "sim.channel_email": "email",
    "sim.channel_webhook": "webhook",
    "sim.channel_log": "log",
    "sim.channel_off_email": " (channel not configured: see COCREA_SMTP_HOST)",
    "sim.channel_off_webhook": " (channel not configured: see COCREA_WEBHOOK_SECRET)",
    "sim.deadlines": "Deadlines fired: {count}",
    "cli.no_scenario": "no scenario is shipped for “{definition}”; name one with --scenario",
    "cli.scenario_mismatch": "the scenario is for the definition “{scenario}”, not “{definition}”",
    "problem.no-encontrado": "Not found",
    "problem.disparador-desconocido": "Unknown trigger",
    "problem.transicion-no-permitida": "Transition not allowed in the current state",
    "problem.condiciones-no-cumplidas": "Conditions unmet",
    "problem.ya-existe": "Already exists",
    "problem.version-obsoleta": "Stale version",
    "problem.dato-no-valido": "Invalid data",
    "problem.definicion-no-valida": "Invalid definition",
    "problem.base-de-datos": "Database unavailable",
    "problem.peticion-no-valida": "Bad request",
    "problem.error-interno": "Internal error",
    "problem.no-autenticado": "A valid token is missing",
    "problem.sin-permiso": "Forbidden",
    "problem.no-existe-ruta": "No such resource",
    "problem.metodo-no-permitido": "Method not allowed",
    "problem.clave-en-uso": "Idempotency key in use",
    "problem.clave-reutilizada": "Idempotency key reused",
    "problem.fields": "check these fields: {fields}",
    "problem.internal": "internal error; it was logged",
    "problem.unauthenticated": "this needs a token (header Authorization: Bearer …)",
    "problem.bad_token": "the token is invalid or was revoked",
    "problem.forbidden": "the role “{role}” may not do this; it needs: {roles}",
    "problem.own_member": "a committee token votes only as its own member ({member})",
    "problem.key_in_use": "another request with this Idempotency-Key is still running; retry",
    "problem.key_reused": "this Idempotency-Key was already used for another request",
    "problem.answer_lost": (
        "the first request with this Idempotency-Key was recorded but its answer was lost;"
        " read the resource to see what it did"
    ),
    "problem.respuesta-perdida": "Answer lost",
    "problem.no_route": "there is no {path}",
    "problem.method": "{method} is not allowed on {path}",
    "problem.if_match": "If-Match must be the version (a number) in quotes, e.g. \"7\"",
    # hardening the API: texts, bodies, the server's own errors
    "field.control": "holds a character that is not allowed ({code}, at position {position})",
    "problem.cuerpo-demasiado-grande": "Content too large",
    "problem.too_large": "the request's body is over the limit of {limit} bytes",
    "problem.codificacion-no-admitida": "Unsupported encoding",
    "problem.not_utf8": "the request's body must be UTF-8 (RFC 8259, section 8.1)",
    "cli.bad_date": "“{value}” is not an ISO date (YYYY-MM-DD)",
    "cli.deadlines_fired": "Deadlines fired: {count}",
    "cli.workers_need_postgresql": "--workers above 1 needs PostgreSQL (--db postgresql+psycopg://…)",
    "cli.notify_pass": "Delivered: {delivered}; to retry: {retried}; parked: {dead}",
    "cli.notify_line": "{id}  {status}  {channel} → {to}  (attempts: {attempts}) {error}",
    "cli.notify_none": "No messages.",
    "cli.member_or_proposal": "give --member or --proposal (one of them)",
    "cli.no_contact": "no email is kept for “{subject}”",
    "cli.contact_forgotten": "Email of “{subject}” erased; messages cancelled: {cancelled}",
    "error.setting": "the setting {name} is invalid: «{value}» (expected {expected})",
    "cli.notify_revived": "Messages put back in the queue: {count}",
    "cli.bad_role": "unknown role “{role}”; roles: {roles}",
    "cli.member_needed": "a committee token needs --member (the member's id)",
    "cli.token_created": (
        "Token {id} ({role}) created. Keep it now: it is not shown again.\n{token}"
    ),
    "cli.no_token": "there is no live token with id “{id}”",
    "cli.token_revoked": "Token {id} revoked.",
    "cli.scheduler_started": (
        "Scheduler running (due deadlines fired; polling every {poll} s). Ctrl+C stops it."
    ),
    "cli.scheduler_stopped": "Scheduler stopped.",
    "cli.deadline_line": "{due}  {phase}: {kind} — {status}{outcome}",
    "deadline.open": "opening",
    "deadline.close": "close",
    "deadline.remind": "reminder ({days} days before the close)",
    "deadline_status.pending": "pending",
    "deadline_status.fired": "fired",
    "deadline_status.cancelled": "cancelled",
    "outcome.PhaseOpened": "(the phase opened)",
    "outcome.PhaseHeld": "(the phase waits for its conditions)",
    "outcome.PhaseClosed": "(the phase closed)",
    "outcome.PhaseOverdue": "(the phase went overdue)",
    "outcome.PhaseClosingSoon": "(closing reminder)",
    "cli.bad_moment": "“{value}” is not an ISO 8601 date or time",
    "cli.bad_digest": "the digest file {path} is not valid: {detail}",
    "cli.approve_or_reject": "give --approve or --reject",
    "cli.db_upgraded": "The database's schema is up to date (migration {revision}).",
    "cli.internal_error": (
        "internal error in cocrea (not a mistake of yours): {error}. Its details are in"
        " {path}; please report it"
    ),
    # dates out of range, and a database that may lose what it acknowledged (hardening)
    "field.out_of_range": "“{value}” is outside the dates accepted: from {first} to {last}",
    "field.shift_past_last": (
        "the plan lasts {days} days: starting on {shift_to} it ends after {last},"
        " the last date accepted"
    ),
    "cli.durability_at_risk": (
        "WARNING: PostgreSQL runs with {settings}: a write already acknowledged can be lost"
        " if the server or the machine crashes. Turn fsync and synchronous_commit on in"
        " production."
    ),
}

CATALOGS: dict[str, dict[str, str]] = {"es": ES, "en": EN}


def say(locale: str, key: str, /, **params: Any) -> str:
    """Return the message ``key`` in ``locale`` (Spanish when unknown), formatted."""
    catalog = CATALOGS.get(locale, ES)
    return catalog.get(key, ES.get(key, key)).format(**params)


def join(items: list[str], locale: str) -> str:
    """Return ``items`` as a comma-separated list, or the word for 'none'."""
    return ", ".join(items) if items else say(locale, "none")
