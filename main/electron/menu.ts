import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** Changes the zoom of the focused window by `step` levels, or back to 100 % with 'reset'. */
  zoom(step: number | 'reset'): void;
  openDataFolder(): void;
  showAbout(): void;
}

/** The Russian application menu. Reload and developer tools exist only in an unpackaged run. */
export function installMenu(actions: MenuActions): void {
  const dev = !app.isPackaged;
  const view: MenuItemConstructorOptions[] = [];
  if (dev) {
    view.push(
      { role: 'reload', label: 'Перезагрузить' },
      { role: 'toggleDevTools', label: 'Инструменты разработчика' },
      { type: 'separator' },
    );
  }
  view.push({
    label: 'Масштаб',
    submenu: [
      { label: 'Крупнее', accelerator: 'CmdOrCtrl+Plus', click: () => actions.zoom(0.5) },
      { label: 'Мельче', accelerator: 'CmdOrCtrl+-', click: () => actions.zoom(-0.5) },
      { label: 'Обычный размер', accelerator: 'CmdOrCtrl+0', click: () => actions.zoom('reset') },
    ],
  });

  const template: MenuItemConstructorOptions[] = [
    {
      label: 'Файл',
      submenu: [
        { label: 'Открыть папку данных', click: () => actions.openDataFolder() },
        { type: 'separator' },
        { role: 'quit', label: 'Выход' },
      ],
    },
    {
      label: 'Правка',
      submenu: [
        { role: 'undo', label: 'Отменить' },
        { role: 'redo', label: 'Повторить' },
        { type: 'separator' },
        { role: 'cut', label: 'Вырезать' },
        { role: 'copy', label: 'Копировать' },
        { role: 'paste', label: 'Вставить' },
        { role: 'delete', label: 'Удалить' },
        { type: 'separator' },
        { role: 'selectAll', label: 'Выделить всё' },
      ],
    },
    { label: 'Вид', submenu: view },
    {
      label: 'Справка',
      submenu: [{ label: 'О программе', click: () => actions.showAbout() }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
