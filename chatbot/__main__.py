from chatbot.entrypoints.main import main

main()
