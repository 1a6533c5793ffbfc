## Common

btn-back = ⬅️ Back
btn-cancel = ✖️ Cancel
btn-prev = ⬅️ Previous
btn-next = Next ➡️
cancelled = Cancelled, nothing was changed. Send a command whenever you're ready.
nothing-to-cancel = There's nothing in progress to cancel.
stale-button = This button has expired. Please send the command again.
stale-flow = This step is no longer valid. Please start again.
expect-button = Please pick one of the buttons above, or tap Cancel.
throttled = You're tapping a bit fast. Give it a second.
fallback-unknown = Sorry, I didn't get that 🤔 Send /help to see what I can do.

role-admin = Admin
role-manager = Sales manager
role-rep = Sales rep
role-finance = Finance

## Access

refuse-unknown = Hi! This is your team's private sales assistant and works by invitation only. Ask your sales manager or admin for an invite link and open it to join.
refuse-inactive = Your account has been deactivated. Please talk to your sales manager if this is a mistake.
refuse-how-to-join = Ask your sales manager or admin for a new invite link.

## Errors

error-domain = That didn't go through. Please try again.
error-not-found = I couldn't find that record; it may have been removed.
error-forbidden = You don't have permission to do that.
error-invalid-input = That doesn't look right. Please check and try again.
error-already-done = That's already been taken care of.
error-internal = Sorry, something went wrong on our side (error id { $error_id }). Please try again in a moment; if it keeps happening, send the id to your admin.
error-timezone = Unknown time zone "{ $value }". Use a name like Asia/Shanghai.
error-team-name = A team name needs 1 to 64 characters and can't start with /. Please type it again:
error-invite-role = You can't invite someone as { $role }.
error-invite-not-allowed = Only sales managers and admins can send invites.
error-other-team = That belongs to another team; you can't view or change it.
error-already-registered = You're already a member, no invite needed. Send /help to see what you can do.
error-invite-unknown = This invite link isn't valid.
error-invite-used = This invite link has already been used (each link works once).
error-invite-expired = This invite link has expired.
error-cannot-manage-member = You can't change this member's status.
error-member-already-active = This member is already active.
error-member-already-inactive = This member is already deactivated.
error-bindgroup-role = Only a sales manager or admin can bind the team group.
error-group-already-bound = This group is already your team's announcement group.
error-group-bound-elsewhere = This group is already bound to team "{ $team }". Please ask an admin.

## Commands menu

cmd-start = Get started
cmd-help = What I can do
cmd-me = My profile
cmd-lang = Change language
cmd-invite = Invite a member
cmd-team = Team members
cmd-bindgroup = Bind team group (send in the group)
cmd-cancel = Cancel what you're doing

## Start, help, profile

start-welcome = Welcome to { $team }, { $name }! Your role: { $role }.
start-you-can = Here's what you can do:
help-stranger = This is a private sales assistant; you need an invite link to join. Commands:
help-title = You're a { $role }. Your commands:
help-footer = Send /cancel at any time to leave what you're doing. The everyday actions are also on the menu buttons under the chat.
me-card =
    👤 <b>{ $name }</b>
    Role: { $role }
    Team: { $team } (time zone { $timezone })
    Language: { $language }
    Joined: { $joined }
    Team group: { $group }
me-group-bound = bound
me-group-none = not yet (a manager sends /bindgroup in the group)
lang-choose = 请选择语言 / Choose your language:
lang-set = Done, I'll talk to you in { $language } from now on.
lang-set-stranger = Got it. Once you join a team, your language is kept in your profile.

## Invite

invite-choose-role = Who would you like to invite?
invite-choose-team = Which team should the { $role } join?
invite-new-team = ➕ New team
invite-enter-team-name = Type the new team's name (for example: East China Sales):
invite-expect-team-name = Just type the team name, or tap Back or Cancel.
invite-ready =
    ✅ Invite link ready
    Role: { $role }
    Team: { $team }

    { $link }

    Send it to the person; opening it makes them a member. It works once and expires { $expires }.

## Team

team-choose = Which team?
team-title = 👥 <b>{ $team }</b>: { $active } active of { $total }
team-page = Page { $page } of { $pages }
team-hint = Tap a name to view or deactivate.
team-status-active = active
team-status-inactive = deactivated
team-unreachable = ⚠️ not reachable
team-member-card =
    👤 <b>{ $name }</b>
    Role: { $role }
    Status: { $status }
    Telegram: { $username }
    Joined: { $joined }
team-member-unreachable = ⚠️ The bot can't message them (they may have blocked it). Ask them to open the bot again.
team-btn-deactivate = ⏸ Deactivate
team-btn-reactivate = ▶️ Reactivate
team-confirm-deactivate = Deactivate { $name }? They won't be able to use the bot; their records stay.
team-confirm-reactivate = Reactivate { $name }?
team-btn-confirm-deactivate = Yes, deactivate
team-btn-confirm-reactivate = Yes, reactivate
team-done-deactivated = { $name } is deactivated.
team-done-reactivated = { $name } is active again.

## Group

bindgroup-in-private = Add me to your team group, then send /bindgroup there.
bindgroup-stranger = Only this team's sales manager or an admin can bind the team group.
bindgroup-done = 📣 This group is now the announcement group of { $team } (bound by { $name }). Lead hand-offs and wins will be posted here.

## Main menu (the keyboard under the chat; each button stands for a command)

menu-placeholder = Type a message, or tap a button below
menu-lead = ➕ New lead
menu-deals = 💼 My deals
menu-log = 📞 Log follow-up
menu-remind = ⏰ Reminder
menu-pool = 🌊 Pool
menu-find = 🔎 Search
menu-stale = 🔕 Quiet deals
menu-team = 👥 Team
menu-help = ❓ Help
error-not-a-number = Please send a whole number, e.g. 30.
