from anime_studio.cli import main

main()
