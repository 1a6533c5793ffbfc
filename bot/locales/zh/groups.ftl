## In a group chat (bot/chat_scope.py, handlers/group.py)

group-use-private = 🔒 客户资料只在私聊里处理，群里不方便。请点下面的按钮私聊我 👇
group-open-private = 💬 私聊我
group-button-private = 🔒 群里不能用这个按钮，请在和我的私聊里操作。
group-help =
    在群里我只做这几件事：
    { $commands }

    录线索、看商机、记跟进这些涉及客户资料的事，请私聊我 👇
