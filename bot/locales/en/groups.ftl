## In a group chat (bot/chat_scope.py, handlers/group.py)

group-use-private = 🔒 Customer details stay out of group chats. Tap below to talk to me in private 👇
group-open-private = 💬 Chat with me
group-button-private = 🔒 This button doesn't work in a group. Please use it in your private chat with me.
group-help =
    In a group, this is all I do:
    { $commands }

    For leads, deals, follow-ups and anything else with customer details, talk to me in private 👇
